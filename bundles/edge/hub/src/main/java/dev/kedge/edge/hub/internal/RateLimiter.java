package dev.kedge.edge.hub.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Token bucket, as KubeEdge's EdgeHub uses for upstream messages ({@code messageQPS} refill rate,
 * {@code messageBurst} bucket size). Starts full. Not thread-safe: one writer thread owns it.
 */
final class RateLimiter {
    private final double perNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    RateLimiter(int qps, int burst) {
        this(qps, burst, System::nanoTime);
    }

    RateLimiter(int qps, int burst, LongSupplier nanoClock) {
        if (qps <= 0 || burst <= 0) {
            throw new IllegalArgumentException("qps and burst must be > 0");
        }
        this.perNano = qps / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one token if there is one; otherwise returns how many nanoseconds until there will be (> 0). */
    long tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }

    /** Blocks until a token is taken. */
    void acquire() throws InterruptedException {
        for (long wait = tryAcquire(); wait > 0; wait = tryAcquire()) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }
}
