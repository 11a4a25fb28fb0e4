package dev.kedge.cloud.controller.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which nodes need which configmap or secret: ns/name → nodes with a pod referencing it. Kept per pod so that a pod's
 * update or deletion takes back exactly what it added. Thread-safe: upstream queries read it too.
 */
final class ReferenceIndex {
    private record PodEntry(String node, Set<ObjectRef> refs) {
    }

    private final Map<String, PodEntry> byPod = new HashMap<>();
    private final Map<ObjectRef, Map<String, Integer>> podsByRefAndNode = new HashMap<>();

    /** Records (or replaces) what the pod {@code podKey} on {@code node} references; no node = not indexed. */
    synchronized void put(String podKey, String node, Set<ObjectRef> refs) {
        remove(podKey);
        if (node == null || node.isEmpty() || refs.isEmpty()) {
            return;
        }
        byPod.put(podKey, new PodEntry(node, Set.copyOf(refs)));
        for (ObjectRef ref : refs) {
            podsByRefAndNode.computeIfAbsent(ref, r -> new HashMap<>()).merge(node, 1, Integer::sum);
        }
    }

    synchronized void remove(String podKey) {
        PodEntry old = byPod.remove(podKey);
        if (old == null) {
            return;
        }
        for (ObjectRef ref : old.refs()) {
            Map<String, Integer> nodes = podsByRefAndNode.get(ref);
            if (nodes != null && nodes.merge(old.node(), -1, Integer::sum) <= 0) {
                nodes.remove(old.node());
                if (nodes.isEmpty()) {
                    podsByRefAndNode.remove(ref);
                }
            }
        }
    }

    /** The nodes with at least one pod referencing {@code ref}. */
    synchronized Set<String> nodesFor(ObjectRef ref) {
        Map<String, Integer> nodes = podsByRefAndNode.get(ref);
        return nodes == null ? Set.of() : Set.copyOf(nodes.keySet());
    }

    synchronized boolean referencedBy(ObjectRef ref, String node) {
        Map<String, Integer> nodes = podsByRefAndNode.get(ref);
        return nodes != null && nodes.containsKey(node);
    }

    synchronized int size() {
        return podsByRefAndNode.size();
    }
}
