package dev.kedge.edge.edged.internal.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** ConfigMaps and Secrets in memory, shaped as the API server returns them (secret data base64). */
final class FakeObjects implements ObjectSource {
    static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, JsonNode> configMaps = new HashMap<>();
    private final Map<String, JsonNode> secrets = new HashMap<>();
    int lookups;

    FakeObjects configMap(String ns, String name, Map<String, String> data) {
        ObjectNode cm = JSON.createObjectNode();
        cm.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode d = cm.putObject("data");
        data.forEach(d::put);
        configMaps.put(ns + "/" + name, cm);
        return this;
    }

    FakeObjects binaryConfigMap(String ns, String name, String key, byte[] value) {
        ObjectNode cm = (ObjectNode) configMaps.computeIfAbsent(ns + "/" + name, k -> {
            ObjectNode n = JSON.createObjectNode();
            n.putObject("metadata").put("name", name).put("namespace", ns);
            return n;
        });
        cm.withObjectProperty("binaryData").put(key, Base64.getEncoder().encodeToString(value));
        return this;
    }

    FakeObjects secret(String ns, String name, Map<String, String> data) {
        ObjectNode s = JSON.createObjectNode();
        s.putObject("metadata").put("name", name).put("namespace", ns);
        ObjectNode d = s.putObject("data");
        data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        secrets.put(ns + "/" + name, s);
        return this;
    }

    FakeObjects rawSecret(String ns, String name, JsonNode secret) {
        secrets.put(ns + "/" + name, secret);
        return this;
    }

    @Override
    public Optional<JsonNode> configMap(String namespace, String name) {
        lookups++;
        return Optional.ofNullable(configMaps.get(namespace + "/" + name));
    }

    @Override
    public Optional<JsonNode> secret(String namespace, String name) {
        lookups++;
        return Optional.ofNullable(secrets.get(namespace + "/" + name));
    }

    /** JSON written with ' for " and ` for an escaped \" inside strings. */
    static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"').replace("`", "\\\""));
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
