package dev.kedge.cloud.hub;

import java.time.Instant;

/**
 * One node as CloudHub sees it.
 *
 * @param connectedSince null while the node is not connected
 * @param ackQueue messages waiting to be sent that need an ack (one per object)
 * @param noAckQueue fire-and-forget messages waiting to be sent
 * @param acksPending messages written and not yet acknowledged (0 or 1: the send loop is sequential per node)
 */
public record NodeInfo(String node, String remoteAddress, Instant connectedSince, long epoch, int ackQueue,
        int noAckQueue, int acksPending, long sent, long received, long resends) {
}
