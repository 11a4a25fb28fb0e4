package dev.kedge.edge.meta.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** KubeEdge's {@code meta} table: {@code key TEXT(256) PK, type TEXT(32), value TEXT}. */
final class MetaTable {
    static final String OWNER = "meta";
    static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT(256) PRIMARY KEY, type TEXT(32), value TEXT)",
            "CREATE INDEX IF NOT EXISTS meta_type ON meta (type)",
            // one row: see MetaIdentity
            "CREATE TABLE IF NOT EXISTS meta_identity (id TEXT NOT NULL)");
    /** Query namespace meaning every namespace (KubeEdge lists a type across namespaces). */
    static final String ALL_NAMESPACES = "*";

    /** A row. */
    record Row(String key, String type, String value) {
    }

    private MetaTable() {
    }

    static void upsert(Connection c, String key, String type, String value) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "INSERT INTO meta (key, type, value) VALUES (?, ?, ?)"
                        + " ON CONFLICT (key) DO UPDATE SET type = excluded.type, value = excluded.value")) {
            p.setString(1, key);
            p.setString(2, type);
            p.setString(3, value);
            p.executeUpdate();
        }
    }

    /** The stored value, or null. */
    static String value(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            p.setString(1, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    static boolean delete(Connection c, String key) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("DELETE FROM meta WHERE key = ?")) {
            p.setString(1, key);
            return p.executeUpdate() > 0;
        }
    }

    /** Rows of a type in a namespace ({@value #ALL_NAMESPACES}: all), or of a type when namespace is null. */
    static List<Row> byType(Connection c, String type, String namespace) throws SQLException {
        boolean inNamespace = namespace != null && !namespace.isEmpty() && !ALL_NAMESPACES.equals(namespace);
        String sql = "SELECT key, type, value FROM meta WHERE type = ?"
                + (inNamespace ? " AND substr(key, 1, ?) = ?" : "") + " ORDER BY key";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, type);
            if (inNamespace) {
                String prefix = namespace + "/" + type + "/";
                p.setInt(2, prefix.length());
                p.setString(3, prefix);
            }
            return rows(p);
        }
    }

    static List<Row> all(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT key, type, value FROM meta ORDER BY key")) {
            return rows(p);
        }
    }

    static long count(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM meta"); ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static List<Row> rows(PreparedStatement p) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
            }
        }
        return out;
    }
}
