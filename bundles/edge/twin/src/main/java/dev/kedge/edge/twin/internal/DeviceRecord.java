package dev.kedge.edge.twin.internal;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A member device as cached in memory (KubeEdge's {@code DeviceList}): the {@code device} row with its attributes
 * and twins. Changed only under the processor's lock; twins and attributes are replaced, never mutated.
 */
final class DeviceRecord {
    final String id;
    String name;
    String description;
    String state;
    String lastOnline;
    final Map<String, TwinRecord> twins = new TreeMap<>();
    final Map<String, AttrRecord> attrs = new TreeMap<>();

    DeviceRecord(String id, String name, String description, String state, String lastOnline) {
        this.id = id;
        this.name = name == null ? "" : name;
        this.description = description == null ? "" : description;
        this.state = state == null ? "" : state;
        this.lastOnline = lastOnline == null ? "" : lastOnline;
    }

    int liveTwins() {
        int n = 0;
        for (TwinRecord t : twins.values()) {
            if (!t.deleted()) {
                n++;
            }
        }
        return n;
    }

    /**
     * KubeEdge's {@code Device} JSON as mappers read it. The last online time is written under both names mappers
     * and clouds of different releases read ({@code last_online} before v1.17, {@code lastOnlineTime} after); Go
     * decoders ignore the one they do not know.
     */
    ObjectNode toJson(boolean withId, boolean withAttributes) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (withId && !id.isEmpty()) {
            n.put("id", id);
        }
        putIfSet(n, "name", name);
        putIfSet(n, "description", description);
        putIfSet(n, "state", state);
        putIfSet(n, "last_online", lastOnline);
        putIfSet(n, "lastOnlineTime", lastOnline);
        if (withAttributes && !attrs.isEmpty()) {
            ObjectNode a = n.putObject("attributes");
            attrs.forEach((k, v) -> a.set(k, v.toMsgAttr()));
        }
        return n;
    }

    static ObjectNode membershipEntry(String id, String name, String description) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        putIfSet(n, "id", id);
        putIfSet(n, "name", name);
        putIfSet(n, "description", description);
        return n;
    }

    private static void putIfSet(ObjectNode n, String field, String v) {
        if (v != null && !v.isEmpty()) {
            n.put(field, v);
        }
    }
}
