package dev.kedge.edge.store;

import java.time.Instant;
import java.util.List;

/**
 * The outcome of {@code PRAGMA integrity_check}.
 *
 * @param problems what SQLite reported; empty when the file is sound
 * @param at       when the check ran
 * @param millis   how long it took
 */
public record IntegrityResult(List<String> problems, Instant at, long millis) {

    public IntegrityResult {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** {@code ok}, or the problems on one line. */
    public String summary() {
        return ok() ? "ok" : String.join("; ", problems);
    }
}
