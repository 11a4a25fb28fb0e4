package dev.kedge.edge.twin.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * SQL on DeviceTwin's tables. Writes run on the store's single writer thread and reuse their prepared statements
 * (one set per writer connection); reads prepare their own on reader connections.
 */
final class TwinRows {
    static final String KIND_TWIN = "twin";
    static final String KIND_STATE = "state";

    /**
     * Leads every INSERT: sqlite-jdbc runs a second query ({@code SELECT last_insert_rowid()}) after each statement
     * that starts with INSERT, for generated keys nobody here reads; it halved the twin update rate.
     */
    private static final String NO_KEYS = "/* no generated keys */ ";
    private static final String UPSERT_TWIN = NO_KEYS + "INSERT INTO device_twin (deviceid, name, description, expected, actual,"
            + " expected_meta, actual_meta, expected_version, actual_version, optional, attr_type, metadata)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (deviceid, name) DO UPDATE SET"
            + " description = excluded.description, expected = excluded.expected, actual = excluded.actual,"
            + " expected_meta = excluded.expected_meta, actual_meta = excluded.actual_meta,"
            + " expected_version = excluded.expected_version, actual_version = excluded.actual_version,"
            + " optional = excluded.optional, attr_type = excluded.attr_type, metadata = excluded.metadata";
    private static final String UPSERT_OUTBOX = NO_KEYS + "INSERT INTO twin_outbox (key, kind, device_id, content, seq)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET content = excluded.content, seq = excluded.seq";

    /** One pending report. */
    record Pending(String key, String kind, String deviceId, String content, long seq) {
    }

    private Connection cachedFor; // writer thread only
    private final Map<String, PreparedStatement> cache = new HashMap<>();

    private PreparedStatement writer(Connection c, String sql) throws SQLException {
        if (c != cachedFor) {
            cache.clear(); // a new writer connection: the old statements went with the old one
            cachedFor = c;
        }
        PreparedStatement p = cache.get(sql);
        if (p == null || p.isClosed()) {
            p = c.prepareStatement(sql);
            cache.put(sql, p);
        }
        return p;
    }

    void upsertDevice(Connection c, DeviceRecord d) throws SQLException {
        PreparedStatement p = writer(c, NO_KEYS + "INSERT INTO device (id, name, description, state, last_online)"
                + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name,"
                + " description = excluded.description, state = excluded.state, last_online = excluded.last_online");
        p.setString(1, d.id);
        p.setString(2, d.name);
        p.setString(3, d.description);
        p.setString(4, d.state);
        p.setString(5, d.lastOnline);
        p.executeUpdate();
    }

    void deleteDevice(Connection c, String id) throws SQLException {
        for (String sql : List.of("DELETE FROM device WHERE id = ?", "DELETE FROM device_attr WHERE deviceid = ?",
                "DELETE FROM device_twin WHERE deviceid = ?", "DELETE FROM twin_outbox WHERE device_id = ?")) {
            PreparedStatement p = writer(c, sql);
            p.setString(1, id);
            p.executeUpdate();
        }
    }

    void upsertTwin(Connection c, String deviceId, TwinRecord t) throws SQLException {
        PreparedStatement p = writer(c, UPSERT_TWIN);
        p.setString(1, deviceId);
        p.setString(2, t.name());
        p.setString(3, t.description());
        p.setString(4, t.expected());
        p.setString(5, t.actual());
        p.setString(6, TwinRecord.metaColumn(t.expectedTs()));
        p.setString(7, TwinRecord.metaColumn(t.actualTs()));
        p.setString(8, t.expectedVersion() == null ? null : t.expectedVersion().toText());
        p.setString(9, t.actualVersion() == null ? null : t.actualVersion().toText());
        p.setInt(10, t.optional() ? 1 : 0);
        p.setString(11, t.type());
        if (t.metadata() == null) {
            p.setNull(12, Types.VARCHAR);
        } else {
            p.setString(12, t.metadata());
        }
        p.executeUpdate();
    }

    void upsertAttr(Connection c, String deviceId, AttrRecord a) throws SQLException {
        PreparedStatement p = writer(c, NO_KEYS + "INSERT INTO device_attr (deviceid, name, description, value, optional,"
                + " attr_type, metadata) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (deviceid, name) DO UPDATE SET"
                + " description = excluded.description, value = excluded.value, optional = excluded.optional,"
                + " attr_type = excluded.attr_type, metadata = excluded.metadata");
        p.setString(1, deviceId);
        p.setString(2, a.name());
        p.setString(3, a.description());
        p.setString(4, a.value());
        p.setInt(5, a.optional() ? 1 : 0);
        p.setString(6, a.type());
        p.setString(7, a.metadata());
        p.executeUpdate();
    }

    void putPending(Connection c, Pending e) throws SQLException {
        PreparedStatement p = writer(c, UPSERT_OUTBOX);
        p.setString(1, e.key());
        p.setString(2, e.kind());
        p.setString(3, e.deviceId());
        p.setString(4, e.content());
        p.setLong(5, e.seq());
        p.executeUpdate();
    }

    /** Removes a report the cloud was given, unless a newer one replaced it meanwhile. */
    void deleteSent(Connection c, Pending e) throws SQLException {
        PreparedStatement p = writer(c, "DELETE FROM twin_outbox WHERE key = ? AND seq = ?");
        p.setString(1, e.key());
        p.setLong(2, e.seq());
        p.executeUpdate();
    }

    /** Drops the oldest reports beyond {@code capacity}; returns how many went. */
    int trim(Connection c, int capacity) throws SQLException {
        PreparedStatement p = writer(c, "DELETE FROM twin_outbox WHERE key IN (SELECT key FROM twin_outbox"
                + " ORDER BY seq DESC LIMIT -1 OFFSET ?)");
        p.setInt(1, capacity);
        return p.executeUpdate();
    }

    static List<Pending> oldestPending(Connection c, int limit) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(
                "SELECT key, kind, device_id, content, seq FROM twin_outbox ORDER BY seq LIMIT ?")) {
            p.setInt(1, limit);
            List<Pending> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5)));
                }
            }
            return out;
        }
    }

    static long count(Connection c, String table) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT count(*) FROM " + table);
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    static long maxSeq(Connection c) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT coalesce(max(seq), 0) FROM twin_outbox");
                ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Every device with its attributes and twins (KubeEdge's {@code SyncSqlite} at start). */
    static Map<String, DeviceRecord> loadAll(Connection c) throws SQLException {
        Map<String, DeviceRecord> out = new TreeMap<>();
        try (PreparedStatement p = c.prepareStatement("SELECT id, name, description, state, last_online FROM device");
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                DeviceRecord d = new DeviceRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5));
                out.put(d.id, d);
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT deviceid, name, description, value, optional, attr_type,"
                + " metadata FROM device_attr"); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                DeviceRecord d = out.get(rs.getString(1));
                if (d != null) {
                    d.attrs.put(rs.getString(2), new AttrRecord(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getInt(5) != 0, rs.getString(6), rs.getString(7)));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT deviceid, name, description, expected, actual,"
                + " expected_meta, actual_meta, expected_version, actual_version, optional, attr_type, metadata"
                + " FROM device_twin"); ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                DeviceRecord d = out.get(rs.getString(1));
                if (d != null) {
                    d.twins.put(rs.getString(2), twin(rs));
                }
            }
        }
        return out;
    }

    /** One device, re-read after a failed write so the cache matches what is committed. */
    static DeviceRecord load(Connection c, String id) throws SQLException {
        DeviceRecord d;
        try (PreparedStatement p = c.prepareStatement(
                "SELECT id, name, description, state, last_online FROM device WHERE id = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                d = new DeviceRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5));
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT deviceid, name, description, expected, actual,"
                + " expected_meta, actual_meta, expected_version, actual_version, optional, attr_type, metadata"
                + " FROM device_twin WHERE deviceid = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    d.twins.put(rs.getString(2), twin(rs));
                }
            }
        }
        try (PreparedStatement p = c.prepareStatement("SELECT name, description, value, optional, attr_type, metadata"
                + " FROM device_attr WHERE deviceid = ?")) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    d.attrs.put(rs.getString(1), new AttrRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getInt(4) != 0, rs.getString(5), rs.getString(6)));
                }
            }
        }
        return d;
    }

    private static TwinRecord twin(ResultSet rs) throws SQLException {
        return new TwinRecord(rs.getString(2), rs.getString(3), rs.getString(4),
                TwinRecord.timestampOf(rs.getString(6)), TwinVersion.parse(rs.getString(8)), rs.getString(5),
                TwinRecord.timestampOf(rs.getString(7)), TwinVersion.parse(rs.getString(9)), rs.getInt(10) != 0,
                rs.getString(11) == null ? TwinRecord.STRING : rs.getString(11), rs.getString(12));
    }
}
