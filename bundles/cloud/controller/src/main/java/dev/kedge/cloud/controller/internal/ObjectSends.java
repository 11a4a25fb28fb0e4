package dev.kedge.cloud.controller.internal;

import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Configmaps and secrets to the edge nodes whose pods reference them (KubeEdge sends no others). */
final class ObjectSends {
    private final ReferenceIndex references;
    private final Sends sends;
    private final Predicate<String> edgeNode;

    ObjectSends(ReferenceIndex references, Sends sends, Predicate<String> edgeNode) {
        this.references = references;
        this.sends = sends;
        this.edgeNode = edgeNode;
    }

    /** {@code type}: {@link ObjectRef#CONFIGMAP} or {@link ObjectRef#SECRET}. */
    void changed(String type, HasMetadata obj, boolean deleted) {
        ObjectRef ref = Downstream.ref(type, obj);
        for (String node : references.nodesFor(ref)) {
            if (!edgeNode.test(node)) {
                continue;
            }
            if (deleted) {
                sends.delete(node, ref, obj);
            } else {
                sends.present(node, ref, obj);
            }
        }
    }
}
