package dev.kedge.edge.hub.internal;

import java.util.concurrent.atomic.LongAdder;

/** EdgeHub's counters; they live as long as the component, across connections. */
final class HubCounters {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    /** Malformed or oversized frames from the cloud. */
    final LongAdder badFrames = new LongAdder();
    /** Cloud messages no edge module could take. */
    final LongAdder unroutable = new LongAdder();
    /**
     * Upstream messages EdgeHub refused: a sync request while the cloud is not connected, or one it cannot encode.
     * Sends refused by its full mailbox are counted there; the status adds them up.
     */
    final LongAdder upstreamRejected = new LongAdder();
    final LongAdder reconnects = new LongAdder();
}
