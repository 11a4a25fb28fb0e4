package dev.kedge.edge.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;

import dev.kedge.edge.store.SqlWork;

/**
 * One queued write. {@code alone} tasks (migrations) run outside group commit: the writer commits what came
 * before, then gives the task the connection to commit as it needs.
 */
final class WriteTask<T> {
    final String what;
    final SqlWork<T> work;
    final boolean alone;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private T result;

    WriteTask(String what, SqlWork<T> work, boolean alone) {
        this.what = what;
        this.work = work;
        this.alone = alone;
    }

    void run(Connection c) throws SQLException {
        result = work.run(c);
    }

    void complete() {
        future.complete(result);
    }
}
