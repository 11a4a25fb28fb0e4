package dev.kedge.edge.eventbus.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * KubeEdge's MQTT ⇄ beehive mapping ({@code edge/pkg/eventbus/mqtt/client.go}, {@code filter.go}, {@code handler.go}):
 * the built-in subscriptions, and which group a topic goes to with which route.
 */
final class KubeEdgeTopics {

    /**
     * KubeEdge's SubTopics: since v1.17 device topics carry {@code <namespace>/<name>} (two levels); the one-level
     * forms of earlier releases stay subscribed so mappers of both generations work.
     */
    static final List<String> DEFAULT_SUBSCRIPTIONS = List.of(
            "$hw/events/upload/#",
            "$hw/events/device/+/state/update",
            "$hw/events/device/+/twin/+",
            "$hw/events/device/+/+/state/update",
            "$hw/events/device/+/+/twin/+",
            "$hw/events/node/+/membership/get",
            "SYS/dis/upload_records",
            "+/user/#");

    /** Where DeviceTwin's answers to an auth_info request go. */
    static String authInfoResultTopic(String nodeName) {
        return "$hw/events/node/" + nodeName + "/authInfo/get/result";
    }

    private static final String DEVICE_PREFIX = "$hw/events/device";
    private static final String NODE_PREFIX = "$hw/events/node";

    private KubeEdgeTopics() {
    }

    /** Device and node topics go to DeviceTwin; everything else is uploaded to the cloud through EdgeHub. */
    static boolean forTwin(String topic) {
        return under(topic, DEVICE_PREFIX) || under(topic, NODE_PREFIX);
    }

    /** KubeEdge's pattern {@code ^<prefix>(/.*)?$}. */
    private static boolean under(String topic, String prefix) {
        return topic.startsWith(prefix) && (topic.length() == prefix.length() || topic.charAt(prefix.length()) == '/');
    }

    /**
     * The bus message for an MQTT message: to DeviceTwin {@code {source: bus, group: user, operation: response,
     * resource: base64url(topic)}}, to the cloud {@code {source: bus, group: user, operation: upload, resource:
     * topic}}; the content is the payload as a string in both.
     */
    static Message toBus(String topic, String payload) {
        if (forTwin(topic)) {
            return Message.create(ModuleNames.GROUP_BUS, ModuleNames.ROUTE_USER, Operations.RESPONSE,
                    encodeTopic(topic), payload);
        }
        return Message.create(ModuleNames.GROUP_BUS, ModuleNames.ROUTE_USER, Operations.UPLOAD, topic, payload);
    }

    /** Go's {@code base64.URLEncoding} (URL alphabet, padded) of the topic's UTF-8 bytes. */
    static String encodeTopic(String topic) {
        return Base64.getUrlEncoder().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
    }
}
