package dev.kedge.cloud.controller.internal;

import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.kedge.core.Message;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachment;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The objects an edge reads through MetaManager: configmaps and secrets (Kedge's and KubeEdge's edges), and what a
 * v1.15 edge's kubelet also asks for — service account tokens, persistent volumes and claims, volume attachments.
 * Each is answered only when a pod of the asking node needs it, as the API server's node authorizer allows a kubelet.
 */
final class ObjectQueries {
    private final KubernetesClient client;
    private final KubeJson json;
    private final BiPredicate<ObjectRef, String> referencedByNode;
    private final Function<String, List<Pod>> cachedPodsOn;

    /**
     * @param cachedPodsOn the node's pods from the pod informer's index, null until the informers have synced
     */
    ObjectQueries(KubernetesClient client, KubeJson json, BiPredicate<ObjectRef, String> referencedByNode,
            Function<String, List<Pod>> cachedPodsOn) {
        this.client = client;
        this.json = json;
        this.referencedByNode = referencedByNode;
        this.cachedPodsOn = cachedPodsOn;
    }

    /** Only what a pod of this node references (from the downstream index): a node reads no other. */
    HasMetadata configMapOrSecret(UpstreamRoute route, Resource r) {
        ObjectRef ref = new ObjectRef(route == UpstreamRoute.QUERY_SECRET ? ObjectRef.SECRET : ObjectRef.CONFIGMAP,
                r.namespace(), r.name());
        if (!referencedByNode.test(ref, r.nodeId())) {
            throw new Refusal("no pod of node " + r.nodeId() + " references " + ref.type() + " " + ref.key());
        }
        HasMetadata obj = route == UpstreamRoute.QUERY_SECRET
                ? client.secrets().inNamespace(r.namespace()).withName(r.name()).get()
                : client.configMaps().inNamespace(r.namespace()).withName(r.name()).get();
        if (obj == null) {
            throw Conflicts.notFound(route == UpstreamRoute.QUERY_SECRET ? "secrets" : "configmaps", r.name());
        }
        return obj;
    }

    /**
     * A token for service account {@code <ns>/serviceaccounttoken/<sa>} from the TokenRequest sent: bound to a pod of
     * this node that runs as that account, as NodeRestriction demands of a kubelet.
     */
    TokenRequest serviceAccountToken(Message m, Resource r) {
        TokenRequest request = json.read(m, TokenRequest.class);
        BoundObjectReference bound = request.getSpec() == null ? null : request.getSpec().getBoundObjectRef();
        if (bound == null || !"Pod".equals(bound.getKind()) || bound.getName() == null) {
            throw new Refusal("node " + r.nodeId() + " may only request tokens bound to one of its pods");
        }
        Pod pod = client.pods().inNamespace(r.namespace()).withName(bound.getName()).get();
        if (pod == null || !r.nodeId().equals(Downstream.nodeName(pod))
                || (bound.getUid() != null && !bound.getUid().isEmpty()
                        && !bound.getUid().equals(pod.getMetadata().getUid()))) {
            throw new Refusal("pod " + r.namespace() + "/" + bound.getName() + " is not bound to node " + r.nodeId());
        }
        String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName()
                .isEmpty() ? "default" : pod.getSpec().getServiceAccountName();
        if (!account.equals(r.name())) {
            throw new Refusal("pod " + r.namespace() + "/" + bound.getName() + " runs as service account " + account
                    + ", not " + r.name());
        }
        TokenRequest issued = client.serviceAccounts().inNamespace(r.namespace()).withName(r.name())
                .tokenRequest(request);
        issued.setKind("TokenRequest"); // KubeEdge answers typed objects with their kind and apiVersion
        issued.setApiVersion("authentication.k8s.io/v1");
        return issued;
    }

    /** A claim one of this node's pods mounts. */
    PersistentVolumeClaim claim(Resource r) {
        if (!anyPodOf(r.nodeId(), p -> r.namespace().equals(p.getMetadata().getNamespace())
                && claims(p).contains(r.name()))) {
            throw new Refusal("no pod of node " + r.nodeId() + " mounts claim " + r.namespace() + "/" + r.name());
        }
        PersistentVolumeClaim claim = client.persistentVolumeClaims().inNamespace(r.namespace()).withName(r.name())
                .get();
        if (claim == null) {
            throw Conflicts.notFound("persistentvolumeclaims", r.name());
        }
        return claim;
    }

    /** A volume bound to a claim one of this node's pods mounts (KubeEdge's edge asks in namespace "default"). */
    PersistentVolume volume(Resource r) {
        PersistentVolume volume = client.persistentVolumes().withName(r.name()).get();
        if (volume == null || volume.getSpec() == null || volume.getSpec().getClaimRef() == null) {
            throw volume == null ? Conflicts.notFound("persistentvolumes", r.name())
                    : new Refusal("persistent volume " + r.name() + " is bound to no claim");
        }
        var claimRef = volume.getSpec().getClaimRef();
        boolean used = anyPodOf(r.nodeId(), p -> p.getMetadata().getNamespace().equals(claimRef.getNamespace())
                && claims(p).contains(claimRef.getName()));
        if (!used) {
            throw new Refusal("no pod of node " + r.nodeId() + " mounts persistent volume " + r.name());
        }
        return volume;
    }

    /** An attachment to this node. */
    VolumeAttachment attachment(Resource r) {
        VolumeAttachment a = client.storage().v1().volumeAttachments().withName(r.name()).get();
        if (a == null) {
            throw Conflicts.notFound("volumeattachments.storage.k8s.io", r.name());
        }
        if (a.getSpec() == null || !r.nodeId().equals(a.getSpec().getNodeName())) {
            throw new Refusal("volume attachment " + r.name() + " is not for node " + r.nodeId());
        }
        return a;
    }

    /**
     * Whether a pod of {@code node} matches: the informer's index answers without a request to the API server; a
     * pod it does not show (yet: bound a moment ago) is looked for in the API server before the edge is refused.
     */
    private boolean anyPodOf(String node, Predicate<Pod> matches) {
        List<Pod> cached = cachedPodsOn.apply(node);
        if (cached != null && cached.stream().anyMatch(matches)) {
            return true;
        }
        return client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems().stream()
                .anyMatch(matches);
    }

    private static List<String> claims(Pod p) {
        List<Volume> volumes = p.getSpec() == null || p.getSpec().getVolumes() == null ? List.of()
                : p.getSpec().getVolumes();
        return volumes.stream().filter(v -> v.getPersistentVolumeClaim() != null)
                .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
    }
}
