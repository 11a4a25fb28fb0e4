package dev.kedge.cloud.sync.internal;

import java.util.Comparator;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * KubeEdge's reconcile round: every ObjectSync against the live object. Newer → {@code update} downstream; gone →
 * {@code delete}; node gone → the ObjectSync is deleted. Messages go to CloudHub as EdgeController's would (CloudHub
 * keeps one per object UID and skips versions the node already has), so a resend while one is queued costs nothing.
 * At most {@code maxResendsPerRound} messages per round; the next round continues where this one stopped.
 * <p>With several cloud replicas, a replica resends only to nodes connected to it (its CloudHub is the only way to
 * them), and only the leader collects the ObjectSyncs of deleted nodes.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ObjectSyncCache ledger;
    private final LiveObjects objects;
    private final MessageBus bus;
    private final KubernetesSerialization serialization;
    private final SyncCounters counters;
    private final SyncSettings config;
    private final WriteSink writes;
    private final Predicate<String> connectedHere;
    private final BooleanSupplier leader;
    /** Name of the first ObjectSync a round could not handle (budget spent); null: start at the beginning. */
    private String resumeAt;

    /** Where garbage collection hands its deletes: the single writer's queue. */
    interface WriteSink {
        boolean offer(SyncWrite w);
    }

    Reconciler(ObjectSyncCache ledger, LiveObjects objects, MessageBus bus, KubernetesSerialization serialization,
            SyncCounters counters, SyncSettings config, WriteSink writes, Predicate<String> connectedHere,
            BooleanSupplier leader) {
        this.ledger = ledger;
        this.objects = objects;
        this.bus = bus;
        this.serialization = serialization;
        this.counters = counters;
        this.config = config;
        this.writes = writes;
        this.connectedHere = connectedHere;
        this.leader = leader;
    }

    /** One round; skipped until every cache is synced (an unsynced node cache would look like deleted nodes). */
    void reconcile() {
        if (!ledger.synced() || !objects.synced()) {
            LOG.debug("caches not synced yet: reconcile skipped");
            return;
        }
        counters.rounds.increment();
        boolean leading = leader.getAsBoolean();
        if (leading) {
            counters.leaderRounds.increment();
        }
        List<GenericKubernetesResource> syncs = ledger.all();
        syncs.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        int start = startIndex(syncs);
        int budget = Math.max(1, config.maxResendsPerRound());
        for (int i = 0; i < syncs.size(); i++) {
            GenericKubernetesResource sync = syncs.get((start + i) % syncs.size());
            if (budget == 0) {
                resumeAt = sync.getMetadata().getName();
                LOG.debug("reconcile budget of {} messages spent; next round resumes at {}",
                        config.maxResendsPerRound(), resumeAt);
                return;
            }
            try {
                budget -= handle(Verdict.judge(sync, objects), leading);
            } catch (BusException e) {
                counters.sendFailures.increment();
                LOG.warn("reconcile round stopped: CloudHub did not take a message: {}", e.getMessage());
                resumeAt = null;
                return;
            }
        }
        resumeAt = null;
    }

    private int startIndex(List<GenericKubernetesResource> syncs) {
        if (resumeAt == null) {
            return 0;
        }
        for (int i = 0; i < syncs.size(); i++) {
            if (syncs.get(i).getMetadata().getName().compareTo(resumeAt) >= 0) {
                return i;
            }
        }
        return 0;
    }

    /** Messages sent for this ObjectSync (0 or 1). */
    private int handle(Verdict v, boolean leading) {
        GenericKubernetesResource sync = v.sync();
        String namespace = sync.getMetadata().getNamespace() == null ? "" : sync.getMetadata().getNamespace();
        boolean toNode = v.state() == Verdict.State.OUTDATED || v.state() == Verdict.State.GONE;
        if (toNode && !connectedHere.test(v.node())) {
            counters.notConnectedHere.increment(); // its own replica resends; CloudHub here could not reach it
            return 0;
        }
        if (v.state() == Verdict.State.NODE_GONE && !leading) {
            return 0;
        }
        switch (v.state()) {
            case OUTDATED -> {
                JsonNode object = serialization.convertValue(v.live(), JsonNode.class);
                send(v, Operations.UPDATE, namespace, object, v.liveVersion());
                counters.resends.increment();
                LOG.info("{} {}/{} is at {} but node {} acked {}: update resent", v.live().getKind(), namespace,
                        v.live().getMetadata().getName(), v.liveVersion(), v.node(), v.ackedVersion());
                return 1;
            }
            case GONE -> {
                send(v, Operations.DELETE, namespace, tombstone(sync, namespace, v.uid()), "");
                counters.deletesSent.increment();
                LOG.info("{} {}/{} (uid {}) is gone for node {}: delete sent", ObjectSyncCache.spec(sync, "objectKind"),
                        namespace, ObjectSyncCache.spec(sync, "objectName"), v.uid(), v.node());
                return 1;
            }
            case NODE_GONE -> {
                if (!writes.offer(new SyncWrite(SyncWrite.Op.COLLECT, namespace, sync.getMetadata().getName(), "", "",
                        "", "", 0))) {
                    LOG.debug("ObjectSync {} of deleted node {}: write queue full, next round", sync.getMetadata()
                            .getName(), v.node());
                }
                return 0;
            }
            default -> {
                return 0;
            }
        }
    }

    private void send(Verdict v, String op, String namespace, JsonNode content, String resourceVersion) {
        GenericKubernetesResource sync = v.sync();
        String kind = ObjectSyncCache.spec(sync, "objectKind");
        String resource = Resource.cloud(v.node(), namespace, LiveKind.of(kind).type,
                ObjectSyncCache.spec(sync, "objectName"));
        bus.send(ModuleNames.CLOUDHUB, Message.create(ModuleNames.EDGECONTROLLER, ModuleNames.ROUTE_RESOURCE, op,
                resource, content).withResourceVersion(resourceVersion));
    }

    /** What a delete carries when the object is gone: enough for CloudHub (UID) and the edge (key). */
    static ObjectNode tombstone(GenericKubernetesResource sync, String namespace, String uid) {
        ObjectNode o = MessageCodec.mapper().createObjectNode();
        o.put("apiVersion", ObjectSyncCache.spec(sync, "objectAPIVersion"));
        o.put("kind", ObjectSyncCache.spec(sync, "objectKind"));
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("name", ObjectSyncCache.spec(sync, "objectName"));
        if (!namespace.isEmpty()) {
            metadata.put("namespace", namespace);
        }
        metadata.put("uid", uid);
        return o;
    }
}
