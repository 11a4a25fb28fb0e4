package dev.kedge.edge.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;

/** A fixed set of read-only connections (WAL readers never block the writer, nor each other). */
final class ReaderPool {
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final Duration wait;

    ReaderPool(Path file, int size, int busyTimeoutMs, Duration wait) throws SQLException {
        this.idle = new ArrayBlockingQueue<>(size);
        this.wait = wait;
        try {
            for (int i = 0; i < size; i++) {
                Connection c = Connections.reader(file, busyTimeoutMs);
                all.add(c);
                idle.add(c);
            }
        } catch (SQLException e) {
            close();
            throw e;
        }
    }

    <T> T read(SqlWork<T> work) {
        Connection c;
        try {
            c = idle.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.CLOSED, "interrupted while waiting for a reader");
        }
        if (c == null) {
            throw new StoreException(StoreException.Reason.TIMEOUT,
                    "no reader connection free within " + wait.toMillis() + " ms (" + all.size() + " in use)");
        }
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(StoreException.Reason.SQL, "read failed: " + e.getMessage(), e);
        } finally {
            endSnapshot(c);
            idle.add(c);
        }
    }

    /** Ends the read transaction: a snapshot held open would stop WAL checkpoints. */
    private static void endSnapshot(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // nothing was written; the next read starts a fresh transaction anyway
        }
    }

    void close() {
        for (Connection c : all) {
            Connections.closeQuietly(c);
        }
        all.clear();
        idle.clear();
    }
}
