package dev.kedge.edge.eventbus.internal;

import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** EventBus's counters, bumped from the MQTT callback threads and the bus mailbox thread. */
final class Counters {
    private static final Logger LOG = LoggerFactory.getLogger(Counters.class);

    final LongAdder received = new LongAdder();
    final LongAdder toTwin = new LongAdder();
    final LongAdder toHub = new LongAdder();
    final LongAdder published = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder oversized = new LongAdder();
    final LongAdder unknownTopics = new LongAdder();

    /** A publish not sent: counted, and logged as {@link #worthLogging} allows. */
    void drop(String topic, String why) {
        dropped.increment();
        if (worthLogging(dropped)) {
            LOG.error("EventBus dropped a publish on {}: {} ({} dropped so far)", topic, why, dropped.sum());
        }
    }

    /** Logs the first ten of a kind, then every thousandth: bad input must not flood the log. */
    static boolean worthLogging(LongAdder counter) {
        long n = counter.sum();
        return n <= 10 || n % 1000 == 0;
    }
}
