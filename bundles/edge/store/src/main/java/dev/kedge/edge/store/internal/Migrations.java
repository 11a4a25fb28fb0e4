package dev.kedge.edge.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.store.StoreException;

/**
 * Per-owner schema steps, recorded in {@code kedge_schema}: step n of an owner runs once, in its own transaction,
 * together with its record. Runs on the writer thread.
 */
final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS kedge_schema (owner TEXT NOT NULL, step INTEGER NOT NULL,"
            + " statement TEXT NOT NULL, applied_at INTEGER NOT NULL, PRIMARY KEY (owner, step))";

    private Migrations() {
    }

    static void createTable(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(TABLE_DDL);
        }
        c.commit();
    }

    /** Applies the missing steps; returns how many ran. The caller's connection has auto-commit off. */
    static int apply(Connection c, String owner, List<String> steps) throws SQLException {
        Map<Integer, String> applied = applied(c, owner);
        int ran = 0;
        for (int i = 0; i < steps.size(); i++) {
            int step = i + 1;
            String sql = steps.get(i).trim();
            String before = applied.get(step);
            if (before != null) {
                if (!before.equals(sql)) {
                    LOG.warn("schema step {} of '{}' was applied as [{}] and now reads [{}]; the applied one stays"
                            + " (append a new step to change the schema)", step, owner, before, sql);
                }
                continue;
            }
            try (Statement s = c.createStatement();
                    PreparedStatement record = c.prepareStatement(
                            "INSERT INTO kedge_schema (owner, step, statement, applied_at) VALUES (?, ?, ?, ?)")) {
                s.execute(sql);
                record.setString(1, owner);
                record.setInt(2, step);
                record.setString(3, sql);
                record.setLong(4, System.currentTimeMillis());
                record.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw new StoreException(StoreException.Reason.MIGRATION,
                        "schema step " + step + " of '" + owner + "' failed: " + e.getMessage() + " [" + sql + "]", e);
            }
            LOG.info("schema step {} of '{}' applied", step, owner);
            ran++;
        }
        if (applied.size() > steps.size()) {
            LOG.warn("'{}' has {} schema steps applied but knows only {}: a newer version wrote this database",
                    owner, applied.size(), steps.size());
        }
        return ran;
    }

    private static Map<Integer, String> applied(Connection c, String owner) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT step, statement FROM kedge_schema WHERE owner = ?")) {
            q.setString(1, owner);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return out;
    }
}
