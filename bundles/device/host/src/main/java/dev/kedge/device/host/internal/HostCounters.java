package dev.kedge.device.host.internal;

import java.util.concurrent.atomic.LongAdder;

/** The host's counters since it started. */
final class HostCounters {
    final LongAdder reads = new LongAdder();
    final LongAdder readFailures = new LongAdder();
    final LongAdder reports = new LongAdder();
    final LongAdder writes = new LongAdder();
    final LongAdder writeFailures = new LongAdder();
    /** turns a device skipped because its previous run was still going, or the pool's queue was full */
    final LongAdder skipped = new LongAdder();
    final LongAdder aborted = new LongAdder();
    final LongAdder busErrors = new LongAdder();
    final LongAdder badDevices = new LongAdder();
}
