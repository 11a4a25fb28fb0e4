package dev.kedge.cloud.device.internal;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageHeader;
import dev.kedge.core.MessageRoute;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;

/**
 * KubeEdge's DeviceController messages, cloud form (CloudHub drops {@code node/<node>/} before the wire):
 * <ul>
 * <li>membership: {@code node/<node>/membership}, group {@code twin}, op {@code update},
 * {@code {event_id, timestamp, added_devices:[{id:"<ns>/<name>", name, description?}], removed_devices:[…]}}</li>
 * <li>objects: {@code node/<node>/<ns>/device/<name>} and {@code …/devicemodel/<name>}, group {@code resource},
 * op insert/update/delete, header resourceversion, content the whole v1beta1 object</li>
 * <li>desired twins: {@code node/<node>/device/<ns>/<name>/twin/cloud_updated}, group {@code twin}, op {@code update},
 * {@code {event_id, timestamp, twin:{<prop>:{expected:{value, metadata:{timestamp}}, optional:false,
 * metadata:{type}, expected_version:{cloud:<device RV>, edge:0}}}}}</li>
 * <li>report confirmation: {@code node/<node>/twin}, group {@code twin}, op {@code response}, parent = report id, "OK"</li>
 * </ul>
 */
final class Frames {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MEMBERSHIP = ResourceTypes.MEMBERSHIP;
    static final String DEVICE = ResourceTypes.DEVICE;
    static final String MODEL = ResourceTypes.DEVICE_MODEL;
    static final String DELETED_TYPE = "deleted";

    private Frames() {
    }

    static Message membership(String node, Collection<DeviceSpec> added, Collection<DeviceSpec> removed) {
        ObjectNode c = base();
        ArrayNode a = c.putArray("added_devices");
        added.forEach(d -> a.add(edgeDevice(d)));
        ArrayNode r = c.putArray("removed_devices");
        removed.forEach(d -> r.add(edgeDevice(d)));
        return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_TWIN, Operations.UPDATE,
                Resource.prefixNode(node, MEMBERSHIP), c);
    }

    /** KubeEdge's createDevice: id {@code <ns>/<name>} (v1.17+), name, description from the label. */
    static ObjectNode edgeDevice(DeviceSpec d) {
        ObjectNode o = JSON.createObjectNode().put("id", d.key()).put("name", d.name());
        if (!d.description().isEmpty()) {
            o.put("description", d.description());
        }
        return o;
    }

    static Message object(String node, String op, String type, JsonNode obj) {
        JsonNode meta = obj.path("metadata");
        return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_RESOURCE, op,
                Resource.cloud(node, meta.path("namespace").asText(""), type, meta.path("name").asText("")), obj)
                .withResourceVersion(meta.path("resourceVersion").asText(""));
    }

    /**
     * Desired values of {@code now}; properties desired before (in {@code before}) but not any more go as type
     * {@code deleted} (KubeEdge's addDeletedTwins). {@code types}: the model's property types, lower case.
     */
    static Message twinCloudUpdate(String node, DeviceSpec now, Map<String, DeviceSpec.Desired> before,
            Map<String, String> types, long nowMillis) {
        ObjectNode c = base();
        c.put("timestamp", nowMillis);
        ObjectNode twin = c.putObject("twin");
        long cloudVersion = version(now.resourceVersion());
        now.desired().forEach((prop, d) -> {
            ObjectNode t = twin.putObject(prop);
            ObjectNode expected = t.putObject("expected").put("value", d.value());
            expected.putObject("metadata").put("timestamp", nowMillis);
            t.put("optional", false);
            String type = d.metadata().getOrDefault("type", types.getOrDefault(prop, "string"));
            t.putObject("metadata").put("type", type);
            t.putObject("expected_version").put("cloud", cloudVersion).put("edge", 0);
        });
        before.keySet().stream().filter(p -> !now.desired().containsKey(p)).forEach(prop -> {
            ObjectNode t = twin.putObject(prop);
            t.put("optional", false);
            t.putObject("metadata").put("type", DELETED_TYPE);
            t.putObject("expected_version").put("cloud", cloudVersion).put("edge", 0);
        });
        return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_TWIN, Operations.UPDATE,
                Resource.prefixNode(node, "device/" + now.key() + "/twin/cloud_updated"), c);
    }

    static Message confirm(String node, Message report) {
        return new Message(new MessageHeader(Message.newId(), report.id(), System.currentTimeMillis(),
                "", false, ""), new MessageRoute(ModuleNames.DEVICECONTROLLER, "", ModuleNames.ROUTE_TWIN,
                        Operations.RESPONSE, Resource.prefixNode(node, "twin")), Operations.OK);
    }

    /** The answer to an edge's membership detail request: {@code {event_id, timestamp, devices:[…]}}. */
    static Message membershipDetail(String node, Collection<DeviceSpec> devices) {
        ObjectNode c = base();
        ArrayNode a = c.putArray("devices");
        devices.forEach(d -> a.add(edgeDevice(d)));
        return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_TWIN, Operations.UPDATE,
                Resource.prefixNode(node, MEMBERSHIP + "/detail"), c);
    }

    private static ObjectNode base() {
        return JSON.createObjectNode().put("event_id", Message.newId()).put("timestamp", System.currentTimeMillis());
    }

    private static long version(String rv) {
        try {
            return Long.parseLong(rv);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
