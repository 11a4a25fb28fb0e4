package dev.kedge.edge.twin.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;

/**
 * Error lines for bad input at most once a second, with how many were held back: a flood of bad MQTT messages must
 * not flood the log (each one is still counted).
 */
final class RateLog {
    private static final long INTERVAL_NANOS = 1_000_000_000L;
    private final Logger log;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    RateLog(Logger log) {
        this.log = log;
    }

    void error(String line) {
        long now = System.nanoTime();
        long prev = last.get();
        if (now - prev >= INTERVAL_NANOS && last.compareAndSet(prev, now)) {
            long held = suppressed.getAndSet(0);
            if (held > 0) {
                log.error("{} (and {} similar lines held back)", line, held);
            } else {
                log.error(line);
            }
        } else {
            suppressed.incrementAndGet();
        }
    }
}
