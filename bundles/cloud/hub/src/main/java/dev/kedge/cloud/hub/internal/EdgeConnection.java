package dev.kedge.cloud.hub.internal;

import java.net.SocketAddress;
import java.time.Instant;

/** One live WebSocket of a node, seen from the send path. Implemented by the Jetty endpoint. */
interface EdgeConnection {

    /** Writes one text frame; {@code onFailure} runs (on some thread) if the write fails. */
    void write(String text, Runnable onFailure);

    /** Closes the connection with a WebSocket close code and reason. */
    void close(int code, String reason);

    boolean isOpen();

    SocketAddress remoteAddress();

    Instant openedAt();

    /** Connection epoch: strictly increasing per hub, so cleanup of an old connection never touches a newer one. */
    long epoch();
}
