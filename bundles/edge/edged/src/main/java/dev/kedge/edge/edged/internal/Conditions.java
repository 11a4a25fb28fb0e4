package dev.kedge.edge.edged.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers when each node condition last changed, so that {@code lastTransitionTime} moves only when the status
 * flips while {@code lastHeartbeatTime} moves at every computation. Used from the agent's thread only.
 */
final class Conditions {
    private record Seen(String status, Instant since) {
    }

    private final Map<String, Seen> seen = new HashMap<>();

    /** When {@code type} took its current {@code status}: now if it just changed (or is new). */
    Instant transition(String type, String status, Instant now) {
        Seen s = seen.get(type);
        if (s == null || !s.status().equals(status)) {
            s = new Seen(status, now);
            seen.put(type, s);
        }
        return s.since();
    }
}
