package dev.kedge.itests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The edge's SQLite file read from the test, next to the running edge (WAL lets a reader in) or after it was killed.
 * Opened read-write on purpose after a kill: that is how the next start finds the file (WAL recovery).
 */
final class EdgeDb {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    EdgeDb(Path file) {
        this.file = file;
    }

    static EdgeDb of(KedgeProcess edge) {
        return new EdgeDb(edge.home().resolve("data/kedge/edgecore.db"));
    }

    private Connection open() throws Exception {
        if (!Files.exists(file)) {
            throw new IllegalStateException("no edge database at " + file);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(5000);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds.getConnection();
    }

    /** The stored object of {@code key} ({@code <ns>/<type>/<name>}), or null. */
    JsonNode get(String key) throws Exception {
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? JSON.readTree(rs.getString(1)) : null;
            }
        }
    }

    /** resourceVersion by key for every row of {@code type}. */
    Map<String, Long> versions(String type) throws Exception {
        Map<String, Long> out = new HashMap<>();
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement("SELECT key, value FROM meta WHERE type = ?")) {
            ps.setString(1, type);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rv(JSON.readTree(rs.getString(2))));
                }
            }
        }
        return out;
    }

    /** Rows of any query, each as column → value (text); {@code args} bind the {@code ?}s in order. */
    java.util.List<Map<String, String>> rows(String sql, String... args) throws Exception {
        java.util.List<Map<String, String>> out = new java.util.ArrayList<>();
        try (Connection c = open(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, String> row = new HashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnName(i), rs.getString(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** {@code PRAGMA integrity_check}: "ok" for a sound file. */
    String integrityCheck() throws Exception {
        try (Connection c = open(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder b = new StringBuilder();
            while (rs.next()) {
                b.append(rs.getString(1)).append('\n');
            }
            return b.toString().trim();
        }
    }

    static long rv(JsonNode object) {
        return object == null ? -1 : Long.parseLong(object.path("metadata").path("resourceVersion").asText("-1"));
    }
}
