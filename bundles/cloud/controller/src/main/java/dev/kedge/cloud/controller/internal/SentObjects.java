package dev.kedge.cloud.controller.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each node was last sent, by object UID: the version, to send a version once, and the object, to send a delete
 * for what disappeared while an event was lost. Written by the downstream worker only; read by the shell.
 */
final class SentObjects {
    record Sent(ObjectRef ref, String resourceVersion) {
    }

    private final Map<String, Map<String, Sent>> byNode = new ConcurrentHashMap<>();

    Sent get(String node, String uid) {
        Map<String, Sent> objects = byNode.get(node);
        return objects == null ? null : objects.get(uid);
    }

    void put(String node, String uid, Sent sent) {
        byNode.computeIfAbsent(node, n -> new ConcurrentHashMap<>()).put(uid, sent);
    }

    void remove(String node, String uid) {
        Map<String, Sent> objects = byNode.get(node);
        if (objects != null) {
            objects.remove(uid);
        }
    }

    void forget(String node) {
        byNode.remove(node);
    }

    /** A snapshot of the node's objects by UID. */
    Map<String, Sent> of(String node) {
        Map<String, Sent> objects = byNode.get(node);
        return objects == null ? Map.of() : Map.copyOf(objects);
    }

    Set<String> nodes() {
        return Set.copyOf(byNode.keySet());
    }
}
