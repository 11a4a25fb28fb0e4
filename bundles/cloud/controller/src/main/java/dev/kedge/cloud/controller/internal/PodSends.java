package dev.kedge.cloud.controller.internal;

import java.util.function.Predicate;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Pods to their edge node: a pod goes with the configmaps and secrets it references (those first), and the
 * reference index learns which node needs which object.
 */
final class PodSends {
    private final Informers informers;
    private final ReferenceIndex references;
    private final Sends sends;
    private final Predicate<String> edgeNode;

    /** {@code edgeNode}: the node is a labelled edge node connected to this replica. */
    PodSends(Informers informers, ReferenceIndex references, Sends sends, Predicate<String> edgeNode) {
        this.informers = informers;
        this.references = references;
        this.sends = sends;
        this.edgeNode = edgeNode;
    }

    void changed(Pod pod, boolean deleted) {
        String node = Downstream.nodeName(pod);
        if (deleted) {
            references.remove(Downstream.key(pod));
            if (edgeNode.test(node)) {
                sends.delete(node, Downstream.ref(ObjectRef.POD, pod), pod);
            }
        } else {
            references.put(Downstream.key(pod), node, PodReferences.of(pod));
            if (edgeNode.test(node)) {
                send(node, pod);
            }
        }
    }

    /** Every pod bound to {@code node}, as when it joins or is reconciled. */
    int sendAllOf(String node) {
        var pods = informers.podsOn(node);
        for (Pod pod : pods) {
            references.put(Downstream.key(pod), node, PodReferences.of(pod));
            send(node, pod);
        }
        return pods.size();
    }

    /** The configmaps and secrets the pod references and that exist, then the pod. */
    private void send(String node, Pod pod) {
        for (ObjectRef ref : PodReferences.of(pod)) {
            HasMetadata obj = informers.cached(ref);
            if (obj != null) {
                sends.present(node, ref, obj);
            }
        }
        sends.present(node, Downstream.ref(ObjectRef.POD, pod), pod);
    }
}
