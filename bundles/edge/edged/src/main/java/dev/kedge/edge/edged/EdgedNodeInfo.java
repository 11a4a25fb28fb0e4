package dev.kedge.edge.edged;

import java.time.Instant;

/**
 * A snapshot of the node agent.
 *
 * @param nodeName             the node name in use (or the one registration will use)
 * @param connected            the cloud link is up, as EdgeHub last said
 * @param registered           the Node was registered on the current connection
 * @param uid                  the Node's UID from the registration answer; empty until known
 * @param lastStatusSent       when the last node status update was sent; null if none
 * @param lastLeaseRenewal     when the cloud last answered a lease renewal; null if never
 * @param leaseResourceVersion the resourceVersion of the last answered Lease; empty if none
 * @param registrations        successful registrations (one per connection)
 * @param registrationFailures registration attempts answered with an error or not answered in time
 * @param statusSent           node status updates sent
 * @param statusSkipped        status updates skipped because nothing changed
 * @param statusFailed         status updates the bus refused
 * @param leaseOk              lease renewals answered by the cloud
 * @param leaseFailed          lease renewals answered with an error or not at all
 * @param ignoredMessages      bus messages Edged has no use for yet, or malformed link events
 * @param lastError            the most recent failure; empty if none
 */
public record EdgedNodeInfo(String nodeName, boolean connected, boolean registered, String uid,
        Instant lastStatusSent, Instant lastLeaseRenewal, String leaseResourceVersion, long registrations,
        long registrationFailures, long statusSent, long statusSkipped, long statusFailed, long leaseOk,
        long leaseFailed, long ignoredMessages, String lastError) {
}
