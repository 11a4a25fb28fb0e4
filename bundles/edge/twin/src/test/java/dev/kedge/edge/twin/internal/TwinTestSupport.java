package dev.kedge.edge.twin.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

/** Builders and waits shared by DeviceTwin's tests. */
final class TwinTestSupport {
    static final Duration WAIT = Duration.ofSeconds(10);

    private TwinTestSupport() {
    }

    /** What EventBus hands DeviceTwin for an MQTT message ({@code mqtt/handler.go}). */
    static Message mqtt(String topic, String payload) {
        return Message.create("bus", "user", Operations.RESPONSE, Topics.encode(topic), payload);
    }

    static Message link(boolean up) {
        return Message.create("edgehub", ModuleNames.GROUP_TWIN, Operations.CONNECT, "node/connection",
                up ? "cloud_connected" : "cloud_disconnected");
    }

    /** DeviceController's twin-group message after CloudHub trimmed {@code node/<node>/}. */
    static Message controller(String resource, String json) throws Exception {
        return Message.create(ModuleNames.DEVICECONTROLLER, ModuleNames.ROUTE_TWIN, Operations.UPDATE, resource,
                Json.read(json));
    }

    /** A Device object as MetaManager forwards it ({@code SetRoute(meta, twin)}). */
    static Message meta(String operation, String resource, String json) throws Exception {
        return Message.create("meta", ModuleNames.GROUP_TWIN, operation, resource, Json.read(json));
    }

    /** The payload EventBus was asked to publish on {@code topic}, waiting for it. */
    static JsonNode published(RecordingBus bus, String topic) throws Exception {
        return published(bus, topic, n -> true);
    }

    static JsonNode published(RecordingBus bus, String topic, Predicate<JsonNode> match) throws Exception {
        Message m = bus.await(x -> Operations.PUBLISH.equals(x.operation()) && topic.equals(x.resource())
                && match.test(tree(x)), WAIT, "publish on " + topic);
        return tree(m);
    }

    static List<JsonNode> allPublished(RecordingBus bus, String topic) {
        return bus.sentTo(ModuleNames.EVENTBUS).stream().filter(x -> topic.equals(x.resource()))
                .map(TwinTestSupport::tree).toList();
    }

    static JsonNode toCloud(RecordingBus bus, String resource, Predicate<JsonNode> match) throws Exception {
        Message m = bus.await(x -> resource.equals(x.resource()) && "twin".equals(x.source())
                && match.test(tree(x)), WAIT, "report " + resource);
        return tree(m);
    }

    static JsonNode tree(Message m) {
        try {
            Object c = m.content();
            return c instanceof String s ? Json.read(s) : MessageCodec.contentTree(m);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The payload without its per-message {@code event_id}/{@code timestamp} and value timestamps, for golden compares. */
    static String stable(JsonNode n) {
        JsonNode copy = n.deepCopy();
        strip(copy);
        return copy.toString();
    }

    private static void strip(JsonNode n) {
        if (n instanceof ObjectNode o) {
            o.remove("event_id");
            o.remove("timestamp");
            o.remove("last_online");
            o.remove("lastOnlineTime");
            JsonNode meta = o.get("metadata");
            if (meta instanceof ObjectNode m) {
                m.remove("timestamp");
                if (m.isEmpty() && (o.has("value"))) {
                    o.remove("metadata");
                }
            }
            o.forEach(TwinTestSupport::strip);
        } else if (n != null && n.isArray()) {
            n.forEach(TwinTestSupport::strip);
        }
    }
}
