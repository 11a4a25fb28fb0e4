package dev.kedge.edge.store;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The edge database. All writes run on one writer thread, so SQLite never reports "database is locked"; the writer
 * commits whatever is queued in one transaction (group commit). Reads run on separate read-only connections and see
 * committed data only.
 */
@ProviderType
public interface EdgeStore {

    /**
     * Queues {@code work} for the writer thread, which runs it inside a transaction shared with other writes (each
     * write in its own savepoint, so a failing write does not undo its neighbours). The future completes after the
     * COMMIT, with the work's result, or fails with a {@link StoreException}. Completion stages run on the writer
     * thread unless given an executor: keep them short and non-blocking.
     *
     * @param what names the write in logs and errors, e.g. {@code meta upsert default/pod/nginx}
     * @throws StoreException {@link StoreException.Reason#QUEUE_FULL} when the bounded queue stays full for the
     *                        configured wait, {@link StoreException.Reason#CLOSED} when the store is stopping
     */
    <T> CompletableFuture<T> write(String what, SqlWork<T> work);

    /**
     * Runs {@code work} on a read-only connection, in one read transaction (a consistent snapshot), and returns its
     * result. Called from the writer thread (inside a write), it uses the writer's connection instead.
     *
     * @throws StoreException {@link StoreException.Reason#SQL} on an SQL error, {@link StoreException.Reason#TIMEOUT}
     *                        when no reader connection frees up in time
     */
    <T> T read(SqlWork<T> work);

    /**
     * Applies the schema steps of {@code owner} that are not applied yet, in order, each in its own transaction,
     * and records them; steps applied before are skipped, so calling this at every start is safe. Each step is
     * one SQL statement. Never remove or reorder steps: append new ones.
     *
     * @throws StoreException {@link StoreException.Reason#MIGRATION} naming the step that failed
     */
    void migrate(String owner, List<String> steps);

    /** Counters and sizes; cheap. */
    StoreStats stats();

    /** Runs {@code PRAGMA integrity_check} now, on a reader connection (writes go on meanwhile). */
    IntegrityResult checkIntegrity();
}
