package dev.kedge.edge.edged.internal.spec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.json.Json;

/**
 * A container's environment as kubelet builds it: {@code envFrom} sources first (with prefix; keys that are not valid
 * variable names are skipped), then {@code env} in order, each {@code value} expanded against the variables defined
 * before it, {@code valueFrom} resolved from configMaps, secrets, the downward API and resources. A later definition
 * replaces an earlier one in place.
 */
final class Environment {
    private static final Logger LOG = LoggerFactory.getLogger(Environment.class);
    /** Kubernetes' C_IDENTIFIER-or-more: anything printable without '='; kubelet validates with IsEnvVarName. */
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private final ObjectSource objects;
    private final Resources.Capacity node;

    Environment(ObjectSource objects, Resources.Capacity node) {
        this.objects = objects;
        this.node = node;
    }

    Map<String, String> build(JsonNode pod, JsonNode container, FieldPaths.Runtime at) throws PodSpecException {
        String ns = PodJson.namespace(pod);
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String prefix = PodJson.text(from, "prefix");
            Map<String, String> values;
            if (from.has("configMapRef")) {
                values = configMap(ns, from.path("configMapRef"));
            } else if (from.has("secretRef")) {
                values = secret(ns, from.path("secretRef"));
            } else {
                continue;
            }
            if (values == null) {
                continue; // optional and missing
            }
            for (Map.Entry<String, String> e : values.entrySet()) {
                String key = prefix + e.getKey();
                if (!ENV_NAME.matcher(key).matches()) {
                    LOG.warn("pod {}/{} container {}: skipping invalid environment variable name \"{}\" from envFrom",
                            ns, PodJson.name(pod), PodJson.text(container, "name"), key);
                    continue;
                }
                env.put(key, e.getValue());
            }
        }
        for (JsonNode var : container.path("env")) {
            String name = PodJson.text(var, "name");
            if (name.isEmpty()) {
                continue;
            }
            if (var.has("valueFrom") && !var.get("valueFrom").isNull()) {
                Optional<String> v = valueFrom(pod, ns, var.path("valueFrom"), container, at);
                if (v.isPresent()) {
                    env.put(name, v.get());
                }
            } else {
                env.put(name, Expansion.expand(PodJson.text(var, "value"), env));
            }
        }
        return env;
    }

    private Optional<String> valueFrom(JsonNode pod, String ns, JsonNode from, JsonNode container,
            FieldPaths.Runtime at) throws PodSpecException {
        if (from.has("fieldRef")) {
            return Optional.of(FieldPaths.value(pod, PodJson.text(from.path("fieldRef"), "fieldPath"), at));
        }
        if (from.has("resourceFieldRef")) {
            JsonNode ref = from.path("resourceFieldRef");
            String target = PodJson.text(ref, "containerName");
            JsonNode c = target.isEmpty() || target.equals(PodJson.text(container, "name")) ? container
                    : findContainer(pod, target);
            return Optional.of(Resources.fieldValue(c, PodJson.text(ref, "resource"), PodJson.text(ref, "divisor"),
                    node));
        }
        if (from.has("configMapKeyRef")) {
            return key(from.path("configMapKeyRef"), "configmap", configMap(ns, from.path("configMapKeyRef")));
        }
        if (from.has("secretKeyRef")) {
            return key(from.path("secretKeyRef"), "secret", secret(ns, from.path("secretKeyRef")));
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, "valueFrom without a known source: "
                + Json.write(from));
    }

    private static Optional<String> key(JsonNode ref, String kind, Map<String, String> values)
            throws PodSpecException {
        if (values == null) {
            return Optional.empty(); // optional and missing
        }
        String key = PodJson.text(ref, "key");
        String v = values.get(key);
        if (v == null) {
            if (PodJson.bool(ref, "optional")) {
                return Optional.empty();
            }
            throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                    "couldn't find key " + key + " in " + (kind.equals("secret") ? "Secret" : "ConfigMap") + " "
                            + PodJson.text(ref, "name"));
        }
        return Optional.of(v);
    }

    /** The configMap's data (binaryData as UTF-8), or an empty map / null when it is optional and missing. */
    private Map<String, String> configMap(String ns, JsonNode ref) throws PodSpecException {
        String name = PodJson.text(ref, "name");
        Optional<JsonNode> cm = objects.configMap(ns, name);
        if (cm.isEmpty()) {
            return missing(ref, "configmap", name);
        }
        Map<String, String> out = new LinkedHashMap<>();
        cm.get().path("data").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private Map<String, String> secret(String ns, JsonNode ref) throws PodSpecException {
        String name = PodJson.text(ref, "name");
        Optional<JsonNode> s = objects.secret(ns, name);
        if (s.isEmpty()) {
            return missing(ref, "secret", name);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : s.get().path("data").properties()) {
            try {
                out.put(e.getKey(), new String(Base64.getMimeDecoder().decode(e.getValue().asText()),
                        StandardCharsets.UTF_8));
            } catch (IllegalArgumentException ex) {
                throw new PodSpecException(PodSpecException.CONFIG_ERROR,
                        "secret \"" + name + "\" key " + e.getKey() + " is not valid base64");
            }
        }
        s.get().path("stringData").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static Map<String, String> missing(JsonNode ref, String kind, String name) throws PodSpecException {
        if (PodJson.bool(ref, "optional")) {
            return null;
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, kind + " \"" + name + "\" not found");
    }

    private static JsonNode findContainer(JsonNode pod, String name) throws PodSpecException {
        for (String list : new String[] {"containers", "initContainers"}) {
            for (JsonNode c : pod.path("spec").path(list)) {
                if (PodJson.text(c, "name").equals(name)) {
                    return c;
                }
            }
        }
        throw new PodSpecException(PodSpecException.CONFIG_ERROR, "resourceFieldRef: no container \"" + name + "\"");
    }
}
