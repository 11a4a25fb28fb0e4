package dev.kedge.edge.edged.internal.spec;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Kubelet's image pull back-off (flowcontrol.Backoff): after a failed pull of an image for a pod, no new pull for
 * 10 s, doubling per failure up to 5 min; an entry not updated for twice the maximum starts over. Thread-safe.
 */
final class PullBackoff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration backoff, Instant lastUpdate, String lastError) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    PullBackoff(Clock clock) {
        this.clock = clock;
    }

    /** The last error while {@code key} is backing off, else null. */
    synchronized String inBackoff(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        Instant now = clock.instant();
        if (expired(e, now)) {
            entries.remove(key);
            return null;
        }
        return Duration.between(e.lastUpdate(), now).compareTo(e.backoff()) < 0 ? e.lastError() : null;
    }

    /** Records a failure; returns the back-off that now applies. */
    synchronized Duration failed(String key, String error) {
        Instant now = clock.instant();
        Entry e = entries.get(key);
        Duration next = e == null || expired(e, now) ? INITIAL
                : e.backoff().multipliedBy(2).compareTo(MAX) > 0 ? MAX : e.backoff().multipliedBy(2);
        entries.put(key, new Entry(next, now, error));
        if (entries.size() > 4096) {
            entries.values().removeIf(x -> expired(x, now));
        }
        return next;
    }

    synchronized void succeeded(String key) {
        entries.remove(key);
    }

    /** Drops the entries of one pod (when it is deleted). */
    synchronized void forget(String keyPrefix) {
        entries.keySet().removeIf(k -> k.startsWith(keyPrefix));
    }

    private static boolean expired(Entry e, Instant now) {
        return Duration.between(e.lastUpdate(), now).compareTo(MAX.multipliedBy(2)) > 0;
    }
}
