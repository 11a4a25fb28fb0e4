package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Registration retry delays: doubling from {@code min} up to {@code max}, each drawn from the upper half of its
 * step so that nodes cut off together do not retry in lock step; every delay lies within [min, max].
 */
final class RetryDelays {
    private final long minMs;
    private final long maxMs;
    private int failures;

    RetryDelays(Duration min, Duration max) {
        this.minMs = Math.max(1, min.toMillis());
        this.maxMs = Math.max(minMs, max.toMillis());
    }

    Duration next() {
        long ceiling = failures < 31 ? Math.min(maxMs, minMs << failures) : maxMs;
        failures++;
        long floor = Math.max(minMs, ceiling / 2);
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }

    void reset() {
        failures = 0;
    }
}
