package dev.kedge.edge.eventbus.internal;

import java.util.concurrent.atomic.LongAdder;

/** EventBus's counters, bumped from Paho's callback threads and the bus mailbox thread. */
final class Counters {
    final LongAdder received = new LongAdder();
    final LongAdder toTwin = new LongAdder();
    final LongAdder toHub = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder oversized = new LongAdder();
    final LongAdder unknownTopics = new LongAdder();

    /** Logs the first ten of a kind, then every thousandth: bad input must not flood the log. */
    static boolean worthLogging(LongAdder counter) {
        long n = counter.sum();
        return n <= 10 || n % 1000 == 0;
    }
}
