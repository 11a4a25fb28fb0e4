package dev.kedge.itests.modules;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.MessageCodec;

/** Minimal ConfigMap JSON, as EdgeController would put in a message's content. */
public final class ConfigMaps {
    private ConfigMaps() {
    }

    /**
     * Stable per namespace/name: CloudHub keys its ack queue by metadata.uid, so every version of one object must
     * carry the same uid (and different objects different ones).
     */
    public static String uid(String namespace, String name) {
        return UUID.nameUUIDFromBytes(("configmap/" + namespace + "/" + name).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    public static ObjectNode configMap(String namespace, String name, long resourceVersion) {
        ObjectNode cm = MessageCodec.mapper().createObjectNode();
        cm.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", uid(namespace, name))
                .put("resourceVersion", Long.toString(resourceVersion));
        cm.putObject("data").put("k", "v");
        return cm;
    }

    /** metadata.resourceVersion of a content tree, or "" when there is none. */
    static String resourceVersion(JsonNode content) {
        return content == null ? "" : content.path("metadata").path("resourceVersion").asText("");
    }
}
