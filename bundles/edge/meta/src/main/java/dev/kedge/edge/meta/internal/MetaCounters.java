package dev.kedge.edge.meta.internal;

import java.util.concurrent.atomic.LongAdder;

/** MetaManager's counters (see {@link dev.kedge.edge.meta.MetaStats}). */
final class MetaCounters {
    final LongAdder stored = new LongAdder();
    final LongAdder stale = new LongAdder();
    final LongAdder deleted = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder failedWrites = new LongAdder();
    final LongAdder remoteOk = new LongAdder();
    final LongAdder remoteFailed = new LongAdder();
    final LongAdder localAnswers = new LongAdder();
    final LongAdder toCloud = new LongAdder();
    final LongAdder badMessages = new LongAdder();
}
