package dev.kedge.edge.eventbus.internal;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Publishes made while a link's broker is not there (at start-up, in an outage, while the embedded broker restarts),
 * kept in order for the next connect: at most {@code max} of them, each for at most {@link #HOLD}; beyond either a
 * publish is dropped and counted. Not thread-safe: its link guards it.
 */
final class HeldPublishes {
    static final Duration HOLD = Duration.ofSeconds(30);

    record Held(String topic, byte[] payload, long sinceNanos) {
    }

    private final ArrayDeque<Held> queue = new ArrayDeque<>();
    private final int max;
    private final String absence;
    private final Counters counters;

    /** @param absence how the broker is missing, for the log: "while the internal broker is not connected" */
    HeldPublishes(int max, String absence, Counters counters) {
        this.max = max;
        this.absence = absence;
        this.counters = counters;
    }

    /** Keeps one publish; false (counted) when {@code max} are held already. */
    boolean hold(String topic, byte[] payload) {
        long now = System.nanoTime();
        dropExpired(now);
        if (queue.size() >= max) {
            counters.drop(topic, queue.size() + " publishes are held already " + absence);
            return false;
        }
        queue.add(new Held(topic, payload, now));
        return true;
    }

    /** The oldest publish held for less than {@link #HOLD}, or null; older ones are dropped and counted. */
    Held next() {
        dropExpired(System.nanoTime());
        return queue.poll();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    int size() {
        return queue.size();
    }

    private void dropExpired(long now) {
        while (!queue.isEmpty() && now - queue.peekFirst().sinceNanos() > HOLD.toNanos()) {
            counters.drop(queue.pollFirst().topic(), "held " + HOLD.toSeconds() + " s " + absence);
        }
    }
}
