package dev.kedge.cloud.controller.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static dev.kedge.core.EdgeAnnotations.META_ID;

import dev.kedge.core.NamedCounters;
import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.MessageRoute;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Edge → cloud: node registration, node metadata, node status (and patches), leases, pod status (and patches), pod
 * deletion and configmap/secret queries, done on a small bounded pool so the module's mailbox never waits for the API
 * server. Every request gets an answer or an error via CloudHub; the response keeps the request's resource, which
 * names the node. Written objects are answered as KubeEdge's {@code ObjectResp} ({@link UpstreamContent}); a failure
 * is always an {@code error} message, which a KubeEdge edge cannot read as an ObjectResp either.
 */
final class Upstream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);
    private static final int CONFLICT_RETRIES = 5;

    private final KubernetesClient client;
    private final MessageBus bus;
    private final NamedCounters counters;
    private final BiPredicate<ObjectRef, String> referencedByNode;
    /** Called with a node whose edge registered with a new database: it must be sent everything again. */
    private final Consumer<String> edgeDatabaseReplaced;
    private final ThreadPoolExecutor pool;
    private final KubeJson json;

    Upstream(KubernetesClient client, MessageBus bus, Settings settings, NamedCounters counters,
            BiPredicate<ObjectRef, String> referencedByNode, Consumer<String> edgeDatabaseReplaced) {
        this.edgeDatabaseReplaced = edgeDatabaseReplaced;
        this.client = client;
        this.bus = bus;
        this.counters = counters;
        this.referencedByNode = referencedByNode;
        this.json = new KubeJson(client.getKubernetesSerialization());
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.upstreamWorkers(), settings.upstreamWorkers(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.upstreamQueueSize()), r -> {
                    Thread t = new Thread(r, "kedge-edgecontroller-upstream-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues the request for a worker; a full queue is answered with an error at once. */
    void submit(Message m, Resource r) {
        UpstreamRoute route = UpstreamRoute.of(m.operation(), r);
        if (route == UpstreamRoute.UNSUPPORTED) {
            counters.increment("upstream.unsupported");
            LOG.warn("unsupported upstream {} of {} from node {}", m.operation(), m.resource(), r.nodeId());
            answer(Message.errorTo(m, "unsupported operation " + m.operation() + " on " + r.type()));
            return;
        }
        String refusal = UpstreamRoute.refusal(route, r);
        if (refusal != null) {
            refuse(m, refusal);
            return;
        }
        try {
            pool.execute(() -> handle(route, m, r));
        } catch (RejectedExecutionException e) {
            counters.increment("upstream.rejectedBusy");
            LOG.warn("upstream queue full: {} {} from node {} refused", m.operation(), m.resource(), r.nodeId());
            answer(Message.errorTo(m, "edgecontroller busy"));
        }
    }

    private void handle(UpstreamRoute route, Message m, Resource r) {
        try {
            Object answer = switch (route) {
                case NODE_INSERT -> ObjectResp.of(json.tree(registerNode(m, r)));
                case NODE_UPDATE -> mergeNodeMetadata(m, r);
                case NODE_STATUS -> updateNodeStatus(m, r);
                case NODE_PATCH -> ObjectResp.of(json.tree(patchNodeStatus(m, r)));
                case LEASE -> ObjectResp.of(json.tree(writeLease(m, r)));
                case POD_STATUS -> updatePodStatus(m, r);
                case POD_PATCH -> ObjectResp.of(json.tree(patchPodStatus(m, r)));
                case POD_DELETE -> deletePod(m, r);
                case QUERY_CONFIGMAP, QUERY_SECRET -> query(route, r);
                case UNSUPPORTED -> throw new IllegalStateException("unsupported");
            };
            counters.increment("upstream." + m.operation() + "." + r.type());
            if (answer != null) {
                answer(Message.responseTo(m, answer instanceof String s ? s : json.tree(answer)));
            }
        } catch (Refusal e) {
            refuse(m, e.getMessage());
        } catch (IllegalArgumentException e) { // MalformedMessageException too: content of the wrong shape
            counters.increment("upstream.malformed");
            LOG.error("malformed {} of {} from node {}: {}", m.operation(), m.resource(), r.nodeId(), e.getMessage());
            answer(Message.errorTo(m, "malformed content: " + e.getMessage()));
        } catch (KubernetesClientException e) {
            counters.increment("upstream.apiErrors");
            String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
                    : e.getMessage();
            LOG.error("API call for {} of {} from node {} failed ({}): {}", m.operation(), m.resource(), r.nodeId(),
                    e.getCode(), reason);
            answer(Message.errorTo(m, reason));
        } catch (RuntimeException e) {
            counters.increment("upstream.apiErrors");
            LOG.error("{} of {} from node {} failed", m.operation(), m.resource(), r.nodeId(), e);
            answer(Message.errorTo(m, e.toString()));
        }
    }

    /** Create the Node (edge label on), or merge labels into the existing one; then its status. */
    private Node registerNode(Message m, Resource r) {
        Node incoming = json.read(m, Node.class);
        ObjectMeta meta = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
        if (meta.getName() != null && !meta.getName().equals(r.name())) {
            throw new Refusal("node " + r.nodeId() + " sent a Node named " + meta.getName());
        }
        Map<String, String> labels = new HashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(Downstream.EDGE_LABEL, "");
        String metaId = meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(META_ID, "");
        String[] knownMetaId = {""};
        Node stored = retryOnConflict(() -> {
            Node existing = client.nodes().withName(r.name()).get();
            if (existing == null) {
                Node fresh = new NodeBuilder().withNewMetadata().withName(r.name()).withLabels(labels)
                        .withAnnotations(meta.getAnnotations()).endMetadata().withSpec(incoming.getSpec()).build();
                LOG.info("registering edge node {}", r.name());
                return client.nodes().resource(fresh).create();
            }
            // an admin's labels stay; the edge's are added or refreshed
            Map<String, String> merged = new HashMap<>(existing.getMetadata().getLabels() == null ? Map.of()
                    : existing.getMetadata().getLabels());
            merged.putAll(labels);
            Map<String, String> notes = new HashMap<>(existing.getMetadata().getAnnotations() == null ? Map.of()
                    : existing.getMetadata().getAnnotations());
            knownMetaId[0] = notes.getOrDefault(META_ID, "");
            if (!metaId.isEmpty()) {
                notes.put(META_ID, metaId);
            }
            if (merged.equals(existing.getMetadata().getLabels()) && notes.equals(existing.getMetadata().getAnnotations())) {
                return existing;
            }
            existing.getMetadata().setLabels(merged);
            existing.getMetadata().setAnnotations(notes);
            return client.nodes().resource(existing).update();
        });
        if (!metaId.isEmpty() && !knownMetaId[0].isEmpty() && !metaId.equals(knownMetaId[0])) {
            // a reinstalled edge: what its ObjectSyncs say it acked is gone with its old database
            counters.increment("upstream.node.newDatabase");
            LOG.warn("edge node {} registered with a new database ({} → {}): resending everything it needs",
                    r.name(), knownMetaId[0], metaId);
            edgeDatabaseReplaced.accept(r.name());
        }
        if (incoming.getStatus() == null) {
            return stored;
        }
        return replaceNodeStatus(r.name(), incoming.getStatus(), stored);
    }

    /** KubeEdge's node {@code update}: the sent labels and annotations are merged in, nothing else is taken. */
    private String mergeNodeMetadata(Message m, Resource r) {
        Node incoming = json.read(m, Node.class);
        ObjectMeta meta = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
        ObjectNode patch = MessageCodec.mapper().createObjectNode();
        ObjectNode patchMeta = patch.putObject("metadata");
        // a JSON merge patch of the two maps only: keys not sent stay, no read-modify-write race with an admin; a
        // null value would delete a key in a merge patch, and KubeEdge's merge never deletes, so nulls are dropped
        patchMeta.set("labels", withoutNulls(meta.getLabels()));
        patchMeta.set("annotations", withoutNulls(meta.getAnnotations()));
        client.nodes().withName(r.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
        return Operations.OK;
    }

    private static ObjectNode withoutNulls(Map<String, String> map) {
        ObjectNode out = MessageCodec.mapper().createObjectNode();
        if (map != null) {
            map.forEach((k, v) -> {
                if (k != null && v != null) {
                    out.put(k, v);
                }
            });
        }
        return out;
    }

    /** KubeEdge's {@code nodepatch}: a strategic-merge patch of the node's status subresource. */
    private Node patchNodeStatus(Message m, Resource r) {
        ObjectNode patch = UpstreamContent.patch(m);
        return client.nodes().withName(r.name()).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.toString());
    }

    /**
     * KubeEdge's {@code podpatch}: a strategic-merge patch of the pod's status, for a pod bound to this node. The
     * checked UID goes into the patch, so a pod recreated under the same name meanwhile is not patched.
     */
    private Pod patchPodStatus(Message m, Resource r) {
        ObjectNode patch = UpstreamContent.patch(m);
        Pod pod = ownPod(r, "");
        JsonNode metadata = patch.path("metadata");
        if (!metadata.isMissingNode() && !metadata.isObject()) {
            throw new IllegalArgumentException("the patch's metadata is not an object");
        }
        (metadata.isObject() ? (ObjectNode) metadata : patch.putObject("metadata"))
                .put("uid", pod.getMetadata().getUid());
        return client.pods().inNamespace(r.namespace()).withName(r.name()).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.toString());
    }

    private String updateNodeStatus(Message m, Resource r) {
        JsonNode request = MessageCodec.contentTree(m);
        if (request == null || request.get("Status") == null || request.get("Status").isNull()) {
            throw new IllegalArgumentException("nodestatus needs {\"UID\",\"Status\",\"ExtendResources\"}");
        }
        NodeStatus status = json.read(request.get("Status"), NodeStatus.class);
        replaceNodeStatus(r.name(), status, null);
        return Operations.OK;
    }

    /** PUT nodes/{name}/status with the status as sent: nothing of the old status survives. */
    private Node replaceNodeStatus(String name, NodeStatus status, Node known) {
        Node[] current = {known};
        return retryOnConflict(() -> {
            Node n = current[0] != null ? current[0] : client.nodes().withName(name).get();
            current[0] = null; // after a conflict, read again
            if (n == null) {
                throw new KubernetesClientException("node " + name + " not found", 404, null);
            }
            n.setStatus(status);
            return client.nodes().resource(n).updateStatus();
        });
    }

    private Lease writeLease(Message m, Resource r) {
        Lease incoming = json.read(m, Lease.class);
        String knownVersion = incoming.getMetadata() == null ? null : incoming.getMetadata().getResourceVersion();
        if (knownVersion != null && !knownVersion.isEmpty()) {
            // the edge renews with the version it was last answered (as kubelet PUTs its cached Lease): one request
            // per renewal instead of a GET and a PUT; a conflict or a missing Lease falls back to read-then-write
            Lease direct = new LeaseBuilder().withNewMetadata().withName(r.name()).withNamespace(r.namespace())
                    .withResourceVersion(knownVersion).withLabels(incoming.getMetadata().getLabels())
                    .withOwnerReferences(incoming.getMetadata().getOwnerReferences()).endMetadata()
                    .withSpec(incoming.getSpec()).build();
            try {
                return client.leases().inNamespace(r.namespace()).resource(direct).update();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 && e.getCode() != 404) {
                    throw e;
                }
                counters.increment("upstream.lease.staleVersion");
            }
        }
        return retryOnConflict(() -> {
            var leases = client.leases().inNamespace(r.namespace());
            Lease existing = leases.withName(r.name()).get();
            if (existing == null) {
                ObjectMeta meta = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
                Lease fresh = new LeaseBuilder().withNewMetadata().withName(r.name()).withNamespace(r.namespace())
                        .withLabels(meta.getLabels()).withOwnerReferences(meta.getOwnerReferences()).endMetadata()
                        .withSpec(incoming.getSpec()).build();
                return leases.resource(fresh).create();
            }
            existing.setSpec(incoming.getSpec());
            return leases.resource(existing).update();
        });
    }

    private Object updatePodStatus(Message m, Resource r) {
        JsonNode request = MessageCodec.contentTree(m);
        if (request == null || request.get("Status") == null || request.get("Status").isNull()) {
            throw new IllegalArgumentException("podstatus needs {\"UID\",\"Name\",\"Status\"}");
        }
        PodStatus status = json.read(request.get("Status"), PodStatus.class);
        String uid = request.path("UID").asText("");
        retryOnConflict(() -> {
            Pod pod = ownPod(r, uid);
            pod.setStatus(status);
            return client.pods().inNamespace(r.namespace()).resource(pod).updateStatus();
        });
        return m.header().sync() ? Operations.OK : null;
    }

    /**
     * Grace 0 with a UID precondition (KubeEdge sends the UID as the content): a pod recreated under the same name is
     * never hit.
     */
    private Object deletePod(Message m, Resource r) {
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

    /** Only what a pod of this node references: a node reads no other configmap or secret. */
    private HasMetadata query(UpstreamRoute route, Resource r) {
        ObjectRef ref = new ObjectRef(route == UpstreamRoute.QUERY_SECRET ? ObjectRef.SECRET : ObjectRef.CONFIGMAP,
                r.namespace(), r.name());
        if (!referencedByNode.test(ref, r.nodeId())) {
            throw new Refusal("no pod of node " + r.nodeId() + " references " + ref.type() + " " + ref.key());
        }
        HasMetadata obj = route == UpstreamRoute.QUERY_SECRET
                ? client.secrets().inNamespace(r.namespace()).withName(r.name()).get()
                : client.configMaps().inNamespace(r.namespace()).withName(r.name()).get();
        if (obj == null) {
            throw new KubernetesClientException(ref.type() + " " + ref.key() + " not found", 404, null);
        }
        return obj;
    }

    private Pod ownPod(Resource r, String uid) {
        Pod pod = client.pods().inNamespace(r.namespace()).withName(r.name()).get();
        if (pod == null) {
            throw new KubernetesClientException("pod " + r.namespace() + "/" + r.name() + " not found", 404, null);
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

    private void refuse(Message m, String reason) {
        counters.increment("upstream.refused");
        LOG.warn("refused {} of {}: {}", m.operation(), m.resource(), reason);
        answer(Message.errorTo(m, reason));
    }

    private void answer(Message reply) {
        // KubeEdge's EdgeController answers as itself in group resource, whatever group the edge asked in (MetaManager
        // forwards edged's requests in group meta): the edge routes by group, and CloudHub ack-queues objects by it
        Message response = new Message(reply.header(), new MessageRoute(ModuleNames.EDGECONTROLLER, "",
                ModuleNames.ROUTE_RESOURCE, reply.operation(), reply.resource()), reply.content());
        try {
            bus.send(ModuleNames.CLOUDHUB, response);
        } catch (BusException e) {
            counters.increment("upstream.answerFailed");
            LOG.error("answer to {} ({}) not handed to CloudHub: {}", response.parentId(), response.resource(),
                    e.getMessage());
        }
    }

    private static <T> T retryOnConflict(Supplier<T> call) {
        for (int attempt = 1;; attempt++) {
            try {
                return call.get();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt >= CONFLICT_RETRIES) {
                    throw e;
                }
            }
        }
    }

    /** The node asked for something that is not its own. */
    private static final class Refusal extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refusal(String message) {
            super(message);
        }
    }
}
