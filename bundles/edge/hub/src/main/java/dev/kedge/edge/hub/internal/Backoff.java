package dev.kedge.edge.hub.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Reconnect delays: exponential from {@code min} up to {@code max}, with "equal jitter" so that a fleet of nodes
 * cut off together does not reconnect in lock step: attempt n waits uniformly in [c/2, c] where
 * c = min(max, 2·min·2ⁿ); so every delay lies within [min, max].
 */
final class Backoff {
    private final long minMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private int attempt;

    Backoff(Duration min, Duration max) {
        this(min, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minMs = min.toMillis();
        this.maxMs = Math.max(minMs, max.toMillis());
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failure. */
    Duration next() {
        long ceiling = maxMs;
        if (attempt < 31) {
            ceiling = Math.min(maxMs, 2 * minMs * (1L << attempt));
        }
        attempt++;
        long floor = Math.max(minMs, ceiling / 2);
        return Duration.ofMillis(floor + (long) (random.getAsDouble() * (ceiling - floor)));
    }

    /** After a connection that held: start again from {@code min}. */
    void reset() {
        attempt = 0;
    }
}
