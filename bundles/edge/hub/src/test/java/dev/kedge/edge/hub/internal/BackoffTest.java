package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration MIN = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void delaysStayWithinMinAndMaxAndAreJittered() {
        Set<Long> seen = new HashSet<>();
        for (int run = 0; run < 200; run++) {
            Backoff b = new Backoff(MIN, MAX);
            for (int attempt = 0; attempt < 40; attempt++) {
                long ms = b.next().toMillis();
                assertTrue(ms >= 1000 && ms <= 30_000, "attempt " + attempt + ": " + ms + " ms");
                if (attempt == 0) {
                    seen.add(ms);
                }
            }
        }
        assertTrue(seen.size() > 20, "first delays must differ between nodes, saw " + seen.size() + " values");
    }

    @Test
    void growsExponentiallyToTheCapAndResets() {
        Backoff low = new Backoff(MIN, MAX, () -> 0.0);
        Backoff high = new Backoff(MIN, MAX, () -> 0.999999);
        long[] expectedHigh = {2000, 4000, 8000, 16000, 30000, 30000};
        long[] expectedLow = {1000, 2000, 4000, 8000, 15000, 15000};
        for (int i = 0; i < expectedHigh.length; i++) {
            assertEquals(expectedLow[i], low.next().toMillis(), "low, attempt " + i);
            assertEquals(expectedHigh[i], high.next().toMillis(), 1, "high, attempt " + i);
        }
        low.reset();
        assertEquals(1000, low.next().toMillis());
    }

    @Test
    void equalMinAndMaxIsAFixedDelay() {
        Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofMillis(500));
        for (int i = 0; i < 10; i++) {
            assertEquals(500, b.next().toMillis());
        }
    }
}
