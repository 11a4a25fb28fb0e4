package dev.kedge.edge.twin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One row of {@code device_twin}, immutable. A value is null when absent; its timestamp (ms) is 0 when unknown.
 * {@code metadata} is the twin's metadata JSON without {@code type} (KubeEdge keeps the type in {@code attr_type}).
 */
record TwinRecord(String name, String description, String expected, long expectedTs, TwinVersion expectedVersion,
        String actual, long actualTs, TwinVersion actualVersion, boolean optional, String type, String metadata) {
    static final String DELETED = "deleted";
    static final String STRING = "string";

    boolean deleted() {
        return DELETED.equals(type);
    }

    TwinRecord withExpected(String value, long ts, TwinVersion version) {
        return new TwinRecord(name, description, value, ts, version, actual, actualTs, actualVersion, optional, type,
                metadata);
    }

    TwinRecord withActual(String value, long ts, TwinVersion version) {
        return new TwinRecord(name, description, expected, expectedTs, expectedVersion, value, ts, version, optional,
                type, metadata);
    }

    TwinRecord withOptional(boolean value) {
        return new TwinRecord(name, description, expected, expectedTs, expectedVersion, actual, actualTs,
                actualVersion, value, type, metadata);
    }

    TwinRecord withType(String value, String meta) {
        return new TwinRecord(name, description, expected, expectedTs, expectedVersion, actual, actualTs,
                actualVersion, optional, value, meta);
    }

    /** KubeEdge's {@code MsgTwin} JSON, field order as Go writes it; versions only when asked. */
    ObjectNode toMsgTwin(boolean withVersions) {
        return toMsgTwin(true, true, withVersions);
    }

    /** A {@code MsgTwin} with only the parts that changed, as KubeEdge's update results carry. */
    ObjectNode toMsgTwin(boolean withExpected, boolean withActual, boolean withVersions) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (withExpected && expected != null && !expected.isEmpty()) {
            n.set("expected", value(expected, expectedTs));
        }
        if (withActual && actual != null && !actual.isEmpty()) {
            n.set("actual", value(actual, actualTs));
        }
        n.put("optional", optional);
        ObjectNode meta = n.putObject("metadata");
        if (type != null && !type.isEmpty()) {
            meta.put("type", type);
        }
        if (withVersions && withExpected && expectedVersion != null) {
            n.set("expected_version", expectedVersion.toJson());
        }
        if (withVersions && withActual && actualVersion != null) {
            n.set("actual_version", actualVersion.toJson());
        }
        return n;
    }

    private static ObjectNode value(String v, long ts) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("value", v);
        if (ts != 0) {
            n.putObject("metadata").put("timestamp", ts);
        }
        return n;
    }

    /** {@code expected_meta} / {@code actual_meta} column: {@code {"timestamp":n}}. */
    static String metaColumn(long ts) {
        return ts == 0 ? null : "{\"timestamp\":" + ts + "}";
    }

    static long timestampOf(String metaColumn) {
        if (metaColumn == null || metaColumn.isBlank()) {
            return 0;
        }
        try {
            JsonNode n = Json.read(metaColumn);
            return n != null && n.has("timestamp") ? n.get("timestamp").asLong() : 0;
        } catch (Exception e) {
            return 0;
        }
    }
}
