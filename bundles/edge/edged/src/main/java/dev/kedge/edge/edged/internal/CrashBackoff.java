package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kubelet's CrashLoopBackOff (its flowcontrol.Backoff): the first restart after a crash is immediate, each next one
 * waits twice as long from 10 s up to 5 min after the container finished; an entry last moved more than 10 min
 * before the crash starts over. Keyed by pod UID + container name.
 */
final class CrashBackoff {
    static final Duration INITIAL = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(5);

    private record Entry(Duration delay, Instant lastUpdate) {
    }

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    CrashBackoff(Clock clock) {
        this(clock, INITIAL, MAX);
    }

    CrashBackoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    /** How long a restart of a container that finished at {@code finished} must still wait; zero = restart now. */
    Duration remaining(String key, Instant finished) {
        Entry e = entries.get(key);
        if (e == null || expired(e, finished)) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), finished.plus(e.delay()));
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The current delay of {@code key} (for the CrashLoopBackOff message); zero if none. */
    Duration delay(String key) {
        Entry e = entries.get(key);
        return e == null ? Duration.ZERO : e.delay();
    }

    /** A restart is happening now: the next one waits longer. */
    void restarted(String key, Instant finished) {
        entries.compute(key, (k, e) -> {
            if (e == null || expired(e, finished)) {
                return new Entry(initial, finished);
            }
            Duration doubled = e.delay().multipliedBy(2);
            return new Entry(doubled.compareTo(max) > 0 ? max : doubled, finished);
        });
    }

    void forgetPod(String uid) {
        entries.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }

    private boolean expired(Entry e, Instant eventTime) {
        return Duration.between(e.lastUpdate(), eventTime).compareTo(max.multipliedBy(2)) > 0;
    }
}
