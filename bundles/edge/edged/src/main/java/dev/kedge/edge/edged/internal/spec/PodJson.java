package dev.kedge.edge.edged.internal.spec;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** Small readers of v1.Pod JSON: absent fields read as empty, never as the text "null". */
final class PodJson {
    private PodJson() {
    }

    static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    static String name(JsonNode pod) {
        return text(pod.path("metadata"), "name");
    }

    static String namespace(JsonNode pod) {
        String ns = text(pod.path("metadata"), "namespace");
        return ns.isEmpty() ? "default" : ns;
    }

    static String uid(JsonNode pod) {
        return text(pod.path("metadata"), "uid");
    }

    /** {@code labels} or {@code annotations} of the pod's metadata, in JSON order. */
    static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        }
        return out;
    }

    static boolean bool(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.asBoolean(false);
    }
}
