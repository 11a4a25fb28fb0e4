package dev.kedge.cloud.controller.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** Pods bound to the edge: status, status patches, deletion, and the mirror pods of its static pods. */
final class PodRequests {
    private static final Logger LOG = LoggerFactory.getLogger(PodRequests.class);
    /** kubelet's annotation on a mirror pod: the API server's NodeRestriction requires it. */
    static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    private final KubernetesClient client;
    private final KubeJson json;

    PodRequests(KubernetesClient client, KubeJson json) {
        this.client = client;
        this.json = json;
    }

    /** KubeEdge's {@code podstatus}: {@code {"UID", "Name", "Status"}}, for a pod bound to this node. */
    Object updateStatus(Message m, Resource r) {
        JsonNode request = MessageCodec.contentTree(m);
        if (request == null || request.get("Status") == null || request.get("Status").isNull()) {
            throw new IllegalArgumentException("podstatus needs {\"UID\",\"Name\",\"Status\"}");
        }
        PodStatus status = json.read(request.get("Status"), PodStatus.class);
        String uid = request.path("UID").asText("");
        Conflicts.retry(() -> {
            Pod pod = own(r, uid);
            pod.setStatus(status);
            return client.pods().inNamespace(r.namespace()).resource(pod).updateStatus();
        });
        return m.header().sync() ? Operations.OK : null;
    }

    /**
     * KubeEdge's {@code podpatch}: a strategic-merge patch of the pod's status, for a pod bound to this node. The
     * checked UID goes into the patch, so a pod recreated under the same name meanwhile is not patched.
     */
    Pod patchStatus(Message m, Resource r) {
        ObjectNode patch = UpstreamContent.patch(m);
        Pod pod = own(r, "");
        JsonNode metadata = patch.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new IllegalArgumentException("the patch's metadata is not an object");
        }
        (metadata.isObject() ? (ObjectNode) metadata : patch.putObject("metadata"))
                .put("uid", pod.getMetadata().getUid());
        return client.pods().inNamespace(r.namespace()).withName(r.name()).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.toString());
    }

    /**
     * Grace 0 with a UID precondition (KubeEdge sends the UID as the content): a pod recreated under the same name is
     * never hit.
     */
    Object delete(Message m, Resource r) {
        String uid = UpstreamContent.podUid(m);
        Pod pod = client.pods().inNamespace(r.namespace()).withName(r.name()).get();
        if (pod == null || (!uid.isEmpty() && !uid.equals(pod.getMetadata().getUid()))) {
            LOG.debug("pod {}/{} (uid {}) already gone", r.namespace(), r.name(), uid);
            return m.header().sync() ? Operations.OK : null;
        }
        if (!r.nodeId().equals(Downstream.nodeName(pod))) {
            throw new Refusal("node " + r.nodeId() + " may not delete pod " + r.namespace() + "/" + r.name()
                    + " bound to '" + Downstream.nodeName(pod) + "'");
        }
        var options = new DeleteOptionsBuilder().withGracePeriodSeconds(0L).withNewPreconditions()
                .withUid(pod.getMetadata().getUid()).endPreconditions().build();
        try {
            client.raw("/api/v1/namespaces/" + r.namespace() + "/pods/" + r.name(), "DELETE", options);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) { // 409: the UID precondition failed, so our pod is gone already
                throw e;
            }
        }
        LOG.info("deleted pod {}/{} for node {}", r.namespace(), r.name(), r.nodeId());
        return m.header().sync() ? Operations.OK : null;
    }

    /**
     * A v1.15 edge's {@code pod insert}: the mirror pod of a static pod. Held to the API server's NodeRestriction
     * rules, so a node can create no pod it could not create as a kubelet: bound to itself, marked as a mirror, and
     * referencing no secret, configmap, claim or service account token.
     */
    Pod createMirror(Message m, Resource r) {
        Pod pod = json.read(m, Pod.class);
        if (pod.getMetadata() == null || pod.getSpec() == null) {
            throw new IllegalArgumentException("a pod insert carries a Pod with metadata and spec");
        }
        if (!r.nodeId().equals(pod.getSpec().getNodeName())) {
            throw new Refusal("node " + r.nodeId() + " may only create mirror pods bound to itself, not to '"
                    + pod.getSpec().getNodeName() + "'");
        }
        Map<String, String> notes = pod.getMetadata().getAnnotations();
        if (notes == null || !notes.containsKey(MIRROR_ANNOTATION)) {
            throw new Refusal("node " + r.nodeId() + " may only create mirror pods (annotation " + MIRROR_ANNOTATION
                    + ")");
        }
        String reference = forbiddenReference(pod);
        if (reference != null) {
            throw new Refusal("a mirror pod may not reference " + reference);
        }
        pod.getMetadata().setName(r.name());
        pod.getMetadata().setNamespace(r.namespace());
        pod.getMetadata().setResourceVersion(null);
        pod.getMetadata().setUid(null);
        Pod created = client.pods().inNamespace(r.namespace()).resource(pod).create();
        LOG.info("created mirror pod {}/{} for node {}", r.namespace(), r.name(), r.nodeId());
        return created;
    }

    private static String forbiddenReference(Pod pod) {
        if (pod.getSpec().getServiceAccountName() != null && !pod.getSpec().getServiceAccountName().isEmpty()) {
            return "service account " + pod.getSpec().getServiceAccountName();
        }
        for (Volume v : pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
            if (v.getSecret() != null || v.getConfigMap() != null || v.getPersistentVolumeClaim() != null
                    || v.getProjected() != null || v.getEphemeral() != null) {
                return "API objects in volume " + v.getName();
            }
        }
        List<Container> all = new ArrayList<>(pod.getSpec().getContainers() == null
                ? List.of() : pod.getSpec().getContainers());
        if (pod.getSpec().getInitContainers() != null) {
            all.addAll(pod.getSpec().getInitContainers());
        }
        for (Container c : all) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if (e.getValueFrom() != null && (e.getValueFrom().getSecretKeyRef() != null
                        || e.getValueFrom().getConfigMapKeyRef() != null)) {
                    return "a secret or configmap in env " + e.getName() + " of container " + c.getName();
                }
            }
            for (EnvFromSource e : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
                if (e.getSecretRef() != null || e.getConfigMapRef() != null) {
                    return "a secret or configmap in envFrom of container " + c.getName();
                }
            }
        }
        return null;
    }

    /** The pod as stored, if it is bound to this node (and has {@code uid}, when given). */
    Pod own(Resource r, String uid) {
        Pod pod = client.pods().inNamespace(r.namespace()).withName(r.name()).get();
        if (pod == null) {
            throw Conflicts.notFound("pods", r.name());
        }
        if (!r.nodeId().equals(Downstream.nodeName(pod))) {
            throw new Refusal("pod " + r.namespace() + "/" + r.name() + " is not bound to node " + r.nodeId());
        }
        if (!uid.isEmpty() && !uid.equals(pod.getMetadata().getUid())) {
            throw new KubernetesClientException("pod " + r.namespace() + "/" + r.name() + " has another UID than "
                    + uid + " (stale request)", 412, null);
        }
        return pod;
    }
}
