package dev.kedge.edge.store.internal;

import java.util.concurrent.atomic.LongAdder;

/** The store's counters, for {@code store:info}. */
final class StoreCounters {
    final LongAdder commits = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder failures = new LongAdder();
    final LongAdder rejected = new LongAdder();
    volatile long lastCommitNanos;
    volatile int lastBatch;
}
