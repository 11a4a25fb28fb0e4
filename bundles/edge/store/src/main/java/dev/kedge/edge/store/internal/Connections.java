package dev.kedge.edge.store.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens the store's connections. sqlite-jdbc's {@link SQLiteDataSource} is used directly: in OSGi the JDBC
 * DriverManager cannot see the driver bundle.
 */
final class Connections {
    private Connections() {
    }

    /** The writer: WAL, synchronous=NORMAL (durable at checkpoints, never corrupt), foreign keys, one transaction open. */
    static Connection writer(Path file, int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = base(busyTimeoutMs);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        Connection c = open(file, config);
        c.setAutoCommit(false);
        return c;
    }

    /**
     * A reader: {@code query_only}, so a stray write fails instead of taking the write lock. Auto-commit off, so a
     * read's statements share one snapshot; the caller rolls back after each read to let checkpoints proceed.
     */
    static Connection reader(Path file, int busyTimeoutMs) throws SQLException {
        SQLiteConfig config = base(busyTimeoutMs);
        config.enforceForeignKeys(true);
        Connection c = open(file, config);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
        }
        c.setAutoCommit(false);
        return c;
    }

    /** A plain connection for the start-up integrity check: it must not change the file (no journal switch). */
    static Connection plain(Path file, int busyTimeoutMs) throws SQLException {
        return open(file, base(busyTimeoutMs));
    }

    private static SQLiteConfig base(int busyTimeoutMs) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMs);
        return config;
    }

    private static Connection open(Path file, SQLiteConfig config) throws SQLException {
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds.getConnection();
    }

    static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException ignored) {
                // closing after a failure: the first error is the one worth reporting
            }
        }
    }
}
