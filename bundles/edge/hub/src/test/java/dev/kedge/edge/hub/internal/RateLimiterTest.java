package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void burstIsAvailableAtOnceThenTheRateApplies() {
        RateLimiter limiter = new RateLimiter(30, 60, now::get);
        for (int i = 0; i < 60; i++) {
            assertEquals(0, limiter.tryAcquire(), "token " + i + " of the burst");
        }
        long wait = limiter.tryAcquire();
        assertTrue(wait > 0 && wait <= 1_000_000_000L / 30 + 1, "next token in ≤ 1/30 s, was " + wait + " ns");
        now.addAndGet(wait);
        assertEquals(0, limiter.tryAcquire());
    }

    @Test
    void refillsAtQpsButNeverBeyondBurst() {
        RateLimiter limiter = new RateLimiter(10, 5, now::get);
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire();
        }
        now.addAndGet(300_000_000L); // 0.3 s at 10/s = 3 tokens
        int granted = 0;
        while (limiter.tryAcquire() == 0) {
            granted++;
        }
        assertEquals(3, granted);
        now.addAndGet(60_000_000_000L); // a minute idle: the bucket holds at most the burst
        granted = 0;
        while (limiter.tryAcquire() == 0) {
            granted++;
        }
        assertEquals(5, granted);
    }

    @Test
    void acquireSustainsTheConfiguredRate() throws InterruptedException {
        RateLimiter limiter = new RateLimiter(200, 1);
        long start = System.nanoTime();
        for (int i = 0; i < 41; i++) {
            limiter.acquire();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms >= 190 && ms < 2000, "40 tokens at 200/s take ~200 ms, took " + ms);
    }
}
