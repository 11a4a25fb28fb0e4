package dev.kedge.cloud.controller.internal;

import static dev.kedge.core.EdgeAnnotations.META_ID;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/** An edge's own Node: registration, the kubelet's read of it, metadata, status and status patches. */
final class NodeRequests {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRequests.class);

    private final KubernetesClient client;
    private final KubeJson json;
    private final NamedCounters counters;
    /** The informers' copy of an edge node, or null (not cached, informers not started); never changed here. */
    private final Function<String, Node> cachedNode;
    /** Called with a node whose edge registered with a new database: it must be sent everything again. */
    private final Consumer<String> edgeDatabaseReplaced;

    NodeRequests(KubernetesClient client, KubeJson json, NamedCounters counters, Function<String, Node> cachedNode,
            Consumer<String> edgeDatabaseReplaced) {
        this.client = client;
        this.json = json;
        this.counters = counters;
        this.cachedNode = cachedNode;
        this.edgeDatabaseReplaced = edgeDatabaseReplaced;
    }

    /** A v1.15 edge's kubelet reads its Node through MetaManager; KubeEdge answers the object itself. */
    Node query(Resource r) {
        Node node = client.nodes().withName(r.name()).get();
        if (node == null) {
            throw Conflicts.notFound("nodes", r.name());
        }
        return node;
    }

    /** Create the Node (edge label on), or merge labels into the existing one; then its status. */
    Node register(Message m, Resource r) {
        Node incoming = json.read(m, Node.class);
        ObjectMeta meta = incoming.getMetadata() == null ? new ObjectMeta() : incoming.getMetadata();
        if (meta.getName() != null && !meta.getName().equals(r.name())) {
            throw new Refusal("node " + r.nodeId() + " sent a Node named " + meta.getName());
        }
        Map<String, String> labels = new HashMap<>(meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(Downstream.EDGE_LABEL, "");
        String metaId = meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(META_ID, "");
        String[] knownMetaId = {""};
        int[] attempts = {0};
        Node stored = Conflicts.retry(() -> {
            Node existing = read(r.name(), attempts[0]++);
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
        return replaceStatus(r.name(), incoming.getStatus(), stored);
    }

    /** KubeEdge's node {@code update}: the sent labels and annotations are merged in, nothing else is taken. */
    String mergeMetadata(Message m, Resource r) {
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

    /** KubeEdge's {@code nodepatch}: a strategic-merge patch of the node's status subresource. */
    Node patchStatus(Message m, Resource r) {
        ObjectNode patch = UpstreamContent.patch(m);
        return client.nodes().withName(r.name()).subresource("status")
                .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), patch.toString());
    }

    /** KubeEdge's {@code nodestatus}: {@code {"UID", "Status", "ExtendResources"}}, the status replaced as sent. */
    String updateStatus(Message m, Resource r) {
        JsonNode request = MessageCodec.contentTree(m);
        if (request == null || request.get("Status") == null || request.get("Status").isNull()) {
            throw new IllegalArgumentException("nodestatus needs {\"UID\",\"Status\",\"ExtendResources\"}");
        }
        NodeStatus status = json.read(request.get("Status"), NodeStatus.class);
        replaceStatus(r.name(), status, null);
        return Operations.OK;
    }

    /** PUT nodes/{name}/status with the status as sent: nothing of the old status survives. */
    private Node replaceStatus(String name, NodeStatus status, Node known) {
        Node[] current = {known};
        int[] attempts = {known == null ? 0 : 1};
        return Conflicts.retry(() -> {
            Node n = current[0] != null ? current[0] : read(name, attempts[0]++);
            current[0] = null; // after a conflict, read again
            if (n == null) {
                throw Conflicts.notFound("nodes", name);
            }
            n.setStatus(status);
            return client.nodes().resource(n).updateStatus();
        });
    }

    /**
     * The Node to change: on a first attempt a copy of the informers' (theirs is shared), which spares a GET per
     * registration and status write (a fleet reconnecting to a restarted cloud makes one API call per node fewer);
     * after a conflict that copy was stale, and the API server's is read. Null if neither knows the node.
     */
    private Node read(String name, int attempt) {
        Node cached = attempt == 0 ? cachedNode.apply(name) : null;
        return cached != null ? new NodeBuilder(cached).build() : client.nodes().withName(name).get();
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
}
