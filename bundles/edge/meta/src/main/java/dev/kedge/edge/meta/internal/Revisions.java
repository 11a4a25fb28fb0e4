package dev.kedge.edge.meta.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A count of committed writes per row type, so a reader that polls (the device host) can tell "nothing changed"
 * without a query. Counted after the COMMIT: a reader that sees a count and then lists sees at least that write.
 */
final class Revisions {
    private final ConcurrentHashMap<String, AtomicLong> counts = new ConcurrentHashMap<>();

    long of(String type) {
        AtomicLong c = counts.get(type);
        return c == null ? 0 : c.get();
    }

    /** {@code write}, counting a write of each type once it completes (failed writes too: a spare re-read only). */
    <T> CompletableFuture<T> afterCommit(CompletableFuture<T> write, String... types) {
        return write.whenComplete((result, error) -> {
            for (String type : types) {
                counts.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
            }
        });
    }
}
