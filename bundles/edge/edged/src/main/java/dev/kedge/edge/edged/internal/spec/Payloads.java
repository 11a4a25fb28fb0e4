package dev.kedge.edge.edged.internal.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.edged.internal.spec.AtomicWriter.File;

/**
 * The files of configMap, secret, downwardAPI and projected volumes, as kubelet's volume plugins compute them:
 * all keys or the listed {@code items}, {@code defaultMode} and per-item {@code mode}, {@code optional}.
 */
final class Payloads {
    static final int DEFAULT_MODE = 0644;
    private static final Logger LOG = LoggerFactory.getLogger(Payloads.class);

    private final ObjectSource objects;
    private final Resources.Capacity node;

    Payloads(ObjectSource objects, Resources.Capacity node) {
        this.objects = objects;
        this.node = node;
    }

    SortedMap<String, File> configMap(JsonNode pod, JsonNode source, int defaultMode) throws PodSpecException {
        String name = PodJson.text(source, "name");
        Optional<JsonNode> cm = objects.configMap(PodJson.namespace(pod), name);
        if (cm.isEmpty()) {
            return missing(source, "configmap", name);
        }
        Map<String, byte[]> keys = new TreeMap<>();
        cm.get().path("data").properties().forEach(
                e -> keys.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        for (Map.Entry<String, JsonNode> e : cm.get().path("binaryData").properties()) {
            keys.put(e.getKey(), base64(e.getValue().asText(), "configmap", name, e.getKey()));
        }
        return project(source, keys, defaultMode, "configmap", name);
    }

    SortedMap<String, File> secret(JsonNode pod, JsonNode source, int defaultMode) throws PodSpecException {
        String name = PodJson.text(source, "secretName");
        if (name.isEmpty()) {
            name = PodJson.text(source, "name"); // the projected form
        }
        Optional<JsonNode> secret = objects.secret(PodJson.namespace(pod), name);
        if (secret.isEmpty()) {
            return missing(source, "secret", name);
        }
        Map<String, byte[]> keys = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : secret.get().path("data").properties()) {
            keys.put(e.getKey(), base64(e.getValue().asText(), "secret", name, e.getKey()));
        }
        // stringData never comes from the API server, but a locally written object may carry it
        secret.get().path("stringData").properties().forEach(
                e -> keys.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
        return project(source, keys, defaultMode, "secret", name);
    }

    SortedMap<String, File> downwardAPI(JsonNode pod, JsonNode source, int defaultMode) throws PodSpecException {
        SortedMap<String, File> out = new TreeMap<>();
        for (JsonNode item : source.path("items")) {
            String path = AtomicWriter.validatePath(PodJson.text(item, "path"));
            String value;
            if (item.has("fieldRef")) {
                value = FieldPaths.value(pod, PodJson.text(item.path("fieldRef"), "fieldPath"),
                        FieldPaths.Runtime.NONE);
            } else if (item.has("resourceFieldRef")) {
                JsonNode ref = item.path("resourceFieldRef");
                value = Resources.fieldValue(container(pod, PodJson.text(ref, "containerName")),
                        PodJson.text(ref, "resource"), PodJson.text(ref, "divisor"), node);
            } else {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "downwardAPI item \"" + path + "\" has neither fieldRef nor resourceFieldRef");
            }
            out.put(path, new File(value.getBytes(StandardCharsets.UTF_8), mode(item, defaultMode)));
        }
        return out;
    }

    SortedMap<String, File> projected(JsonNode pod, String volume, JsonNode source) throws PodSpecException {
        int defaultMode = mode(source, "defaultMode", DEFAULT_MODE);
        SortedMap<String, File> out = new TreeMap<>();
        for (JsonNode s : source.path("sources")) {
            if (s.has("configMap")) {
                out.putAll(configMap(pod, s.path("configMap"), defaultMode));
            } else if (s.has("secret")) {
                out.putAll(secret(pod, s.path("secret"), defaultMode));
            } else if (s.has("downwardAPI")) {
                out.putAll(downwardAPI(pod, s.path("downwardAPI"), defaultMode));
            } else if (s.has("serviceAccountToken")) {
                LOG.info("pod {}/{} volume {}: serviceAccountToken projection is not supported on this node; "
                        + "skipping {}", PodJson.namespace(pod), PodJson.name(pod), volume,
                        PodJson.text(s.path("serviceAccountToken"), "path"));
            } else {
                LOG.warn("pod {}/{} volume {}: unknown projection source {}; skipped", PodJson.namespace(pod),
                        PodJson.name(pod), volume, s.fieldNames().hasNext() ? s.fieldNames().next() : "{}");
            }
        }
        return out;
    }

    static int mode(JsonNode node, String field, int fallback) throws PodSpecException {
        JsonNode m = node.get(field);
        if (m == null || m.isNull()) {
            return fallback;
        }
        if (!m.canConvertToInt() || m.asInt() < 0 || m.asInt() > 0777) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    field + " " + m.asText() + " is not a file mode between 0 and 0777");
        }
        return m.asInt();
    }

    private static int mode(JsonNode item, int defaultMode) throws PodSpecException {
        return mode(item, "mode", defaultMode);
    }

    private SortedMap<String, File> project(JsonNode source, Map<String, byte[]> keys, int defaultMode, String kind,
            String name) throws PodSpecException {
        SortedMap<String, File> out = new TreeMap<>();
        JsonNode items = source.path("items");
        if (!items.isArray() || items.isEmpty()) {
            for (Map.Entry<String, byte[]> e : keys.entrySet()) {
                out.put(AtomicWriter.validatePath(e.getKey()), new File(e.getValue(), defaultMode));
            }
            return out;
        }
        for (JsonNode item : items) {
            String key = PodJson.text(item, "key");
            byte[] data = keys.get(key);
            if (data == null) {
                if (PodJson.bool(source, "optional")) {
                    continue;
                }
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        kind + " references non-existent config key: " + key);
            }
            String path = PodJson.text(item, "path");
            out.put(AtomicWriter.validatePath(path.isEmpty() ? key : path), new File(data, mode(item, defaultMode)));
        }
        return out;
    }

    private static SortedMap<String, File> missing(JsonNode source, String kind, String name)
            throws PodSpecException {
        if (PodJson.bool(source, "optional")) {
            return new TreeMap<>();
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, kind + " \"" + name + "\" not found");
    }

    private static byte[] base64(String value, String kind, String name, String key) throws PodSpecException {
        try {
            return Base64.getMimeDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    kind + " \"" + name + "\" key " + key + " is not valid base64");
        }
    }

    private static JsonNode container(JsonNode pod, String name) throws PodSpecException {
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (name.isEmpty() || PodJson.text(c, "name").equals(name)) {
                    return c;
                }
            }
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, "resourceFieldRef: no container \"" + name + "\"");
    }
}
