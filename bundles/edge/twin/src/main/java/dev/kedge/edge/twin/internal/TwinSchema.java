package dev.kedge.edge.twin.internal;

import java.util.List;

/**
 * KubeEdge's DeviceTwin tables with the column names of {@code dtclient} ({@code device}, {@code device_attr},
 * {@code device_twin}), unique keys (KubeEdge relies on its cache for those), and Kedge's {@code twin_outbox}: the
 * latest report per twin and per device state that the cloud has not been given yet.
 */
final class TwinSchema {
    static final String OWNER = "twin";
    static final List<String> STEPS = List.of(
            "CREATE TABLE IF NOT EXISTS device (id TEXT(64) PRIMARY KEY, name TEXT, description TEXT, state TEXT,"
                    + " last_online TEXT)",
            "CREATE TABLE IF NOT EXISTS device_attr (id INTEGER PRIMARY KEY AUTOINCREMENT, deviceid TEXT, name TEXT,"
                    + " description TEXT, value TEXT, optional INTEGER, attr_type TEXT, metadata TEXT)",
            "CREATE TABLE IF NOT EXISTS device_twin (id INTEGER PRIMARY KEY AUTOINCREMENT, deviceid TEXT, name TEXT,"
                    + " description TEXT, expected TEXT, actual TEXT, expected_meta TEXT, actual_meta TEXT,"
                    + " expected_version TEXT, actual_version TEXT, optional INTEGER, attr_type TEXT, metadata TEXT)",
            "CREATE UNIQUE INDEX IF NOT EXISTS device_attr_key ON device_attr (deviceid, name)",
            "CREATE UNIQUE INDEX IF NOT EXISTS device_twin_key ON device_twin (deviceid, name)",
            "CREATE TABLE IF NOT EXISTS twin_outbox (key TEXT PRIMARY KEY, kind TEXT NOT NULL, device_id TEXT NOT NULL,"
                    + " content TEXT NOT NULL, seq INTEGER NOT NULL)",
            "CREATE INDEX IF NOT EXISTS twin_outbox_seq ON twin_outbox (seq)");

    private TwinSchema() {
    }
}
