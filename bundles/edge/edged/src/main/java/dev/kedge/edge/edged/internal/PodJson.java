package dev.kedge.edge.edged.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading a v1.Pod Jackson tree: the few fields the lifecycle needs, with kubelet's defaults. */
final class PodJson {
    static final long DEFAULT_GRACE_SECONDS = 30;

    private PodJson() {
    }

    static String uid(JsonNode pod) {
        return pod.path("metadata").path("uid").asText("");
    }

    static String name(JsonNode pod) {
        return pod.path("metadata").path("name").asText("");
    }

    static String namespace(JsonNode pod) {
        return pod.path("metadata").path("namespace").asText("default");
    }

    static String nodeName(JsonNode pod) {
        return pod.path("spec").path("nodeName").asText("");
    }

    static boolean hostNetwork(JsonNode pod) {
        return pod.path("spec").path("hostNetwork").asBoolean(false);
    }

    /** Always (the default), OnFailure or Never. */
    static String restartPolicy(JsonNode pod) {
        String p = pod.path("spec").path("restartPolicy").asText("");
        return p.equals("OnFailure") || p.equals("Never") ? p : "Always";
    }

    static boolean deleting(JsonNode pod) {
        return !pod.path("metadata").path("deletionTimestamp").asText("").isEmpty();
    }

    /** The grace of a delete (deletionGracePeriodSeconds), else the spec's, else 30 s. */
    static long graceSeconds(JsonNode pod) {
        JsonNode deletion = pod.path("metadata").path("deletionGracePeriodSeconds");
        if (deletion.isNumber()) {
            return Math.max(0, deletion.asLong());
        }
        JsonNode spec = pod.path("spec").path("terminationGracePeriodSeconds");
        return spec.isNumber() ? Math.max(0, spec.asLong()) : DEFAULT_GRACE_SECONDS;
    }

    static List<JsonNode> containers(JsonNode pod) {
        return list(pod.path("spec").path("containers"));
    }

    static List<JsonNode> initContainers(JsonNode pod) {
        return list(pod.path("spec").path("initContainers"));
    }

    static String containerName(JsonNode container) {
        return container.path("name").asText("");
    }

    /** The container's probe of {@code kind} (livenessProbe, readinessProbe, startupProbe); missing node if none. */
    static JsonNode probe(JsonNode container, String kind) {
        JsonNode p = container.path(kind);
        return p.isObject() ? p : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /** The preStop exec command, empty when there is none (httpGet hooks are not run). */
    static List<String> preStopCommand(JsonNode container) {
        List<String> out = new ArrayList<>();
        container.path("lifecycle").path("preStop").path("exec").path("command").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
