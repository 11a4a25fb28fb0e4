package dev.kedge.edge.twin.internal;

import java.util.Collection;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON DeviceTwin sends ({@code dttype}): every payload starts with KubeEdge's {@code BaseMessage}. */
final class Payloads {
    static final int BAD_REQUEST = 400;
    static final int NOT_FOUND = 404;
    static final int CONFLICT = 409;
    static final int INTERNAL_ERROR = 500;

    private Payloads() {
    }

    /** {@code {event_id, timestamp}}; a null event id becomes "" as Go writes an empty string. */
    static ObjectNode base(String eventId, long timestamp) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("event_id", eventId == null ? "" : eventId);
        n.put("timestamp", timestamp);
        return n;
    }

    static ObjectNode fresh() {
        return base(UUID.randomUUID().toString(), System.currentTimeMillis());
    }

    /** {@code Result}: {@code {event_id, timestamp, code, reason}}. */
    static ObjectNode error(String eventId, int code, String reason) {
        ObjectNode n = base(eventId, System.currentTimeMillis());
        n.put("code", code);
        n.put("reason", reason);
        return n;
    }

    static ObjectNode twin(ObjectNode base, JsonNode twin) {
        base.set("twin", twin);
        return base;
    }

    /** {@code MembershipUpdate}: the list not given is null, as Go writes a nil slice. */
    static ObjectNode membershipUpdated(Collection<? extends JsonNode> added, Collection<? extends JsonNode> removed) {
        ObjectNode n = fresh();
        list(n, "added_devices", added);
        list(n, "removed_devices", removed);
        return n;
    }

    static ObjectNode devices(String eventId, Collection<? extends JsonNode> devices) {
        ObjectNode n = base(eventId, System.currentTimeMillis());
        ArrayNode a = n.putArray("devices");
        devices.forEach(a::add);
        return n;
    }

    private static void list(ObjectNode n, String field, Collection<? extends JsonNode> items) {
        if (items == null) {
            n.putNull(field);
        } else {
            ArrayNode a = n.putArray(field);
            items.forEach(a::add);
        }
    }
}
