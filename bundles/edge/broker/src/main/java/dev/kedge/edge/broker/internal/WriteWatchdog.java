package dev.kedge.edge.broker.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;

/**
 * The write deadline: a connection whose socket write lasts longer than writeTimeoutSeconds (its client stopped
 * reading; a blocking write has no timeout of its own) is closed, logged and counted. Armed by writes, not periodic:
 * an idle broker wakes nothing; with writes under way one check runs on core's scheduler when the oldest could reach
 * the deadline, and re-arms while any write is still under way.
 */
final class WriteWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(WriteWatchdog.class);

    private final SharedScheduler scheduler;
    private final Broker broker;
    private final BrokerCounters counters;
    private final long timeoutNanos;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final Object lock = new Object();
    private ScheduledFuture<?> check; // guarded by lock
    private boolean stopped; // guarded by lock

    WriteWatchdog(SharedScheduler scheduler, Broker broker, BrokerCounters counters, Duration timeout) {
        this.scheduler = scheduler;
        this.broker = broker;
        this.counters = counters;
        this.timeoutNanos = timeout.toNanos();
    }

    /** A connection is about to write (its writingSince set already): a check will run within the timeout. */
    void writing() {
        if (!armed.get() && armed.compareAndSet(false, true)) {
            schedule(timeoutNanos);
        }
    }

    private void schedule(long delayNanos) {
        synchronized (lock) {
            if (!stopped) {
                check = scheduler.schedule("MQTT write deadline", this::check, Duration.ofNanos(delayNanos));
            }
        }
    }

    private void check() {
        long next = closeOverdue();
        if (next == Long.MAX_VALUE) {
            armed.set(false);
            // a write that started while we looked saw us armed and did not arm: look once more
            if (broker.writing().isEmpty() || !armed.compareAndSet(false, true)) {
                return;
            }
            next = timeoutNanos;
        }
        schedule(next);
    }

    /** Closes the connections past the deadline; returns when the next one still writing reaches it, or MAX_VALUE. */
    private long closeOverdue() {
        long next = Long.MAX_VALUE;
        for (Connection c : broker.writing()) {
            long writing = c.writingForNanos();
            if (writing >= timeoutNanos) {
                if (c.close()) {
                    counters.writeTimeouts.incrementAndGet();
                    LOG.warn("MQTT client {} took nothing for {} s (writeTimeoutSeconds): it stopped reading; "
                            + "closing it", c.name(), timeoutNanos / 1_000_000_000L);
                }
            } else {
                next = Math.min(next, timeoutNanos - writing);
            }
        }
        return next;
    }

    /** Whether a check is scheduled (tests: not once the writes are done). */
    boolean armed() {
        return armed.get();
    }

    void stop() {
        synchronized (lock) {
            stopped = true;
            if (check != null) {
                check.cancel(false);
            }
        }
    }
}
