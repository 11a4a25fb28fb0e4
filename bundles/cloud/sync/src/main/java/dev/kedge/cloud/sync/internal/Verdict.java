package dev.kedge.cloud.sync.internal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;

import dev.kedge.core.ResourceVersions;

/**
 * One ObjectSync compared with the live state: what the node acked against what exists now.
 *
 * @param live the live object, null when gone or not watched
 */
record Verdict(State state, GenericKubernetesResource sync, String node, String uid, HasMetadata live) {

    enum State {
        /** the node holds the current version */
        IN_SYNC,
        /** the object changed since the node acked it: resend an update */
        OUTDATED,
        /** the object is gone (or replaced by one with another UID, or a pod now runs elsewhere): send a delete */
        GONE,
        /** the node no longer exists: delete the ObjectSync */
        NODE_GONE,
        /** a kind we do not watch (nor does EdgeController send it) */
        UNWATCHED,
        /** the name is not {@code <node>.<uid>} */
        MALFORMED
    }

    String ackedVersion() {
        return ObjectSyncCache.ackedVersion(sync);
    }

    String liveVersion() {
        return live == null ? "" : live.getMetadata().getResourceVersion();
    }

    static Verdict judge(GenericKubernetesResource sync, LiveObjects objects) {
        String name = sync.getMetadata().getName();
        String node = ObjectSyncNames.node(name);
        String uid = ObjectSyncNames.uid(name);
        if (node.isEmpty()) {
            return new Verdict(State.MALFORMED, sync, node, uid, null);
        }
        if (!objects.nodeExists(node)) {
            return new Verdict(State.NODE_GONE, sync, node, uid, null);
        }
        LiveKind kind = LiveKind.of(ObjectSyncCache.spec(sync, "objectKind"));
        String namespace = sync.getMetadata().getNamespace();
        if (kind == null || namespace == null || namespace.isEmpty()) {
            return new Verdict(State.UNWATCHED, sync, node, uid, null);
        }
        HasMetadata live = objects.get(kind, namespace, ObjectSyncCache.spec(sync, "objectName"));
        if (live == null || !uid.equals(live.getMetadata().getUid())
                || (live instanceof Pod pod && !node.equals(pod.getSpec().getNodeName()))) {
            return new Verdict(State.GONE, sync, node, uid, null);
        }
        State state = ResourceVersions.newer(live.getMetadata().getResourceVersion(), ObjectSyncCache.ackedVersion(sync))
                ? State.OUTDATED
                : State.IN_SYNC;
        return new Verdict(state, sync, node, uid, live);
    }
}
