package dev.kedge.cloud.sync.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** What sync:stats shows. */
final class SyncCounters {
    final LongAdder acksRecorded = new LongAdder();
    final LongAdder acksRejected = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writeFailures = new LongAdder();
    final LongAdder conflicts = new LongAdder();
    final LongAdder retries = new LongAdder();
    final LongAdder abandoned = new LongAdder();
    final LongAdder staleAcks = new LongAdder();
    final LongAdder resends = new LongAdder();
    final LongAdder deletesSent = new LongAdder();
    final LongAdder sendFailures = new LongAdder();
    final LongAdder collected = new LongAdder();
    final LongAdder rounds = new LongAdder();
    /** Rounds that ran the leader-only part (garbage collection). */
    final LongAdder leaderRounds = new LongAdder();
    /** ObjectSyncs skipped because their node is connected to another replica (or to none). */
    final LongAdder notConnectedHere = new LongAdder();

    Map<String, Long> snapshot(int pending) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("acksRecorded", acksRecorded.sum());
        m.put("acksRejected", acksRejected.sum());
        m.put("coalesced", coalesced.sum());
        m.put("droppedQueueFull", dropped.sum());
        m.put("pendingWrites", (long) pending);
        m.put("writes", writes.sum());
        m.put("writeFailures", writeFailures.sum());
        m.put("conflicts", conflicts.sum());
        m.put("retries", retries.sum());
        m.put("abandoned", abandoned.sum());
        m.put("staleAcks", staleAcks.sum());
        m.put("reconcileRounds", rounds.sum());
        m.put("leaderRounds", leaderRounds.sum());
        m.put("skippedNotConnectedHere", notConnectedHere.sum());
        m.put("resends", resends.sum());
        m.put("deletesSent", deletesSent.sum());
        m.put("sendFailures", sendFailures.sum());
        m.put("garbageCollected", collected.sum());
        return m;
    }
}
