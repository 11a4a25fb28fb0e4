package dev.kedge.edge.hub;

import java.time.Instant;

/**
 * A snapshot of the cloud link.
 *
 * @param server          CloudHub's WebSocket address ({@code host:port}); empty while not joined
 * @param connectedSince  when the current connection opened; null unless {@link State#CONNECTED}
 * @param reconnects      connections re-established after a loss, since the component started
 * @param lastError       the most recent failure (bootstrap, handshake, link loss, bad frame); empty if none
 * @param framesIn        frames received from CloudHub
 * @param framesOut       frames written to CloudHub (keepalives included)
 * @param outboxDepth     upstream messages waiting to be written (in EdgeHub's bus mailbox)
 * @param outboxCapacity  bound of that mailbox ({@code outboxCapacity})
 * @param badFrames       frames refused: malformed JSON or larger than the frame bound
 * @param unroutable      cloud messages no edge module could take
 * @param upstreamRejected upstream messages refused (mailbox full for the send timeout, or a sync request while
 *                        disconnected)
 */
public record EdgeHubStatus(State state, String server, String nodeName, Instant connectedSince, long reconnects,
        String lastError, long framesIn, long framesOut, int outboxDepth, int outboxCapacity, long badFrames,
        long unroutable, long upstreamRejected) {

    /** Where the link is in its life cycle. */
    public enum State {
        /** No CloudHub address configured yet: run {@code kedge:join}. */
        NOT_JOINED,
        /** Fetching the CA and a node certificate with the join token. */
        BOOTSTRAPPING,
        /** Opening the WebSocket (TLS handshake, upgrade). */
        CONNECTING,
        /** The WebSocket is open and messages flow. */
        CONNECTED,
        /** Link lost or refused; waiting to retry. */
        DISCONNECTED
    }
}
