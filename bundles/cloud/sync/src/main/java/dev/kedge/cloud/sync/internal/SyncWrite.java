package dev.kedge.cloud.sync.internal;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceVersions;

/**
 * One pending change of one ObjectSync: record that {@code node} holds the object at {@code resourceVersion}
 * ({@link Op#RECORD}), forget it after an acked delete ({@link Op#FORGET}), or drop it because its node is gone
 * ({@link Op#COLLECT}). {@code namespace} is "" for a ClusterObjectSync.
 */
record SyncWrite(Op op, String namespace, String name, String objectApiVersion, String objectKind,
        String objectName, String resourceVersion, int attempt) {

    enum Op { RECORD, FORGET, COLLECT }

    SyncKind kind() {
        return SyncKind.forNamespace(namespace);
    }

    /** Coalescing key: ObjectSync names are unique across kinds (the UID is). */
    String key() {
        return name;
    }

    boolean removes() {
        return op != Op.RECORD;
    }

    SyncWrite retry() {
        return new SyncWrite(op, namespace, name, objectApiVersion, objectKind, objectName, resourceVersion, attempt + 1);
    }

    /**
     * Two writes for the same ObjectSync pending at once: a removal wins (KubeEdge: "delete always wins"), between two
     * records the newer resourceVersion, so the ledger never goes back.
     */
    static SyncWrite merge(SyncWrite queued, SyncWrite incoming) {
        if (queued.removes()) {
            return queued;
        }
        if (incoming.removes()) {
            return incoming;
        }
        return ResourceVersions.compare(incoming.resourceVersion, queued.resourceVersion) >= 0 ? incoming : queued;
    }

    /**
     * The ack record CloudHub sends after the edge acked a downstream message: op = the acked operation, resource
     * {@code node/<node>/<ns>/<type>/<name>}, header resourceversion, content = the object.
     *
     * @throws IllegalArgumentException naming what is missing
     */
    static SyncWrite fromAck(Message ack) {
        Resource r = Resource.parseCloud(ack.resource());
        if (!(ack.content() instanceof JsonNode object) || !object.isObject()) {
            throw new IllegalArgumentException("content is not an object");
        }
        JsonNode metadata = object.path("metadata");
        String uid = metadata.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new IllegalArgumentException("content has no metadata.uid");
        }
        String namespace = r.clusterScoped() ? "" : r.namespace();
        String objectName = r.name().isEmpty() ? metadata.path("name").asText("") : r.name();
        if (objectName.isEmpty() || r.type().isEmpty()) {
            throw new IllegalArgumentException("resource names no object type and name");
        }
        String name = ObjectSyncNames.name(r.nodeId(), uid);
        String op = ack.operation();
        if (Operations.DELETE.equals(op)) {
            return new SyncWrite(Op.FORGET, namespace, name, "", "", objectName, "", 0);
        }
        if (!Operations.INSERT.equals(op) && !Operations.UPDATE.equals(op)) {
            throw new IllegalArgumentException("operation '" + op + "' is not insert, update or delete");
        }
        String rv = ack.header().resourceVersion();
        if (rv.isEmpty()) {
            rv = metadata.path("resourceVersion").asText("");
        }
        if (!ResourceVersions.valid(rv)) {
            throw new IllegalArgumentException("resourceversion '" + rv + "' is not a number");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        return new SyncWrite(Op.RECORD, namespace, name, apiVersion.isEmpty() ? "v1" : apiVersion,
                kind.isEmpty() ? LiveKind.kindOf(r.type()) : kind, objectName, rv, 0);
    }
}
