package dev.kedge.edge.twin.internal;

import java.util.concurrent.atomic.LongAdder;

/** DeviceTwin's counters (see {@link dev.kedge.edge.twin.TwinStats}). */
final class TwinCounters {
    final LongAdder twinUpdates = new LongAdder();
    final LongAdder cloudSyncs = new LongAdder();
    final LongAdder versionConflicts = new LongAdder();
    final LongAdder badMessages = new LongAdder();
    final LongAdder unknownDevices = new LongAdder();
    final LongAdder failedWrites = new LongAdder();
    final LongAdder toCloud = new LongAdder();
    final LongAdder toMappers = new LongAdder();
    final LongAdder droppedPublishes = new LongAdder();
}
