package dev.kedge.edge.edged.internal;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The labels and annotations Edged puts on sandboxes and containers (kubelet's names), so that a restarted Edged
 * finds its pods again and keeps their restart counts. Only objects labelled as Edged's for this node are ever
 * adopted or removed: other users of the same containerd are left alone.
 */
final class CriLabels {
    static final String POD_NAME = "io.kubernetes.pod.name";
    static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
    static final String POD_UID = "io.kubernetes.pod.uid";
    static final String CONTAINER_NAME = "io.kubernetes.container.name";
    static final String MANAGED_BY = "kedge.dev/managed-by";
    static final String NODE = "kedge.dev/node";
    static final String MANAGER = "edged";
    /** Annotation: the container's restart count, kept across Edged restarts. */
    static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
    /** Annotation: the grace a container gets when stopped without its pod at hand (an orphan). */
    static final String GRACE = "io.kubernetes.pod.terminationGracePeriod";
    /** Annotation: an init container (runs to completion before the app containers). */
    static final String INIT = "kedge.dev/init-container";

    private CriLabels() {
    }

    static Map<String, String> pod(JsonNode pod, String node, Map<String, String> base) {
        Map<String, String> m = new HashMap<>(base == null ? Map.of() : base);
        m.put(POD_NAME, PodJson.name(pod));
        m.put(POD_NAMESPACE, PodJson.namespace(pod));
        m.put(POD_UID, PodJson.uid(pod));
        m.put(MANAGED_BY, MANAGER);
        m.put(NODE, node);
        return m;
    }

    static Map<String, String> container(JsonNode pod, String container, String node, Map<String, String> base) {
        Map<String, String> m = pod(pod, node, base);
        m.put(CONTAINER_NAME, container);
        return m;
    }

    static boolean ours(Map<String, String> labels, String node) {
        return labels != null && MANAGER.equals(labels.get(MANAGED_BY)) && node.equals(labels.get(NODE))
                && !labels.getOrDefault(POD_UID, "").isEmpty();
    }
}
