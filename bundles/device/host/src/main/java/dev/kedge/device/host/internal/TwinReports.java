package dev.kedge.device.host.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.json.Json;

/**
 * Reports as an MQTT mapper sends them, in the bus form EventBus gives DeviceTwin: source {@code bus}, group
 * {@code user}, operation {@code response}, resource = base64url of KubeEdge's {@code $hw/events/device/...} topic,
 * content = the JSON payload. DeviceTwin cannot tell them from a mapper's, and neither can the cloud.
 */
final class TwinReports {
    static final String DEVICE_TOPIC = "$hw/events/device/";
    static final String TWIN_UPDATE = "/twin/update";
    static final String STATE_UPDATE = "/state/update";

    /** One reported value. */
    record Reading(String name, String value, String type, long timestamp) {
    }

    private TwinReports() {
    }

    static Message twinUpdate(String deviceId, List<Reading> readings) {
        ObjectNode payload = base();
        ObjectNode twin = payload.putObject("twin");
        for (Reading r : readings) {
            ObjectNode t = twin.putObject(r.name());
            ObjectNode actual = t.putObject("actual");
            actual.put("value", r.value());
            actual.putObject("metadata").put("timestamp", r.timestamp());
            t.putObject("metadata").put("type", r.type());
        }
        return toTwin(DEVICE_TOPIC + deviceId + TWIN_UPDATE, payload);
    }

    static Message stateUpdate(String deviceId, String state) {
        ObjectNode payload = base();
        payload.put("state", state);
        return toTwin(DEVICE_TOPIC + deviceId + STATE_UPDATE, payload);
    }

    private static ObjectNode base() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("event_id", UUID.randomUUID().toString());
        n.put("timestamp", System.currentTimeMillis());
        return n;
    }

    private static Message toTwin(String topic, ObjectNode payload) {
        String resource = Base64.getUrlEncoder().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
        return Message.create(ModuleNames.GROUP_BUS, ModuleNames.ROUTE_USER, Operations.RESPONSE, resource,
                Json.write(payload));
    }
}
