package dev.kedge.cloud.controller.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.controller.EdgeNodeInfo;
import dev.kedge.cloud.controller.internal.SentObjects.Sent;
import dev.kedge.cloud.sync.AckCheck;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceVersions;
import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Objects to CloudHub, for every kind: insert the first time, update when newer, delete; a version the node was
 * already sent, or acked before a restart (the ObjectSync ledger), is skipped. Downstream worker thread only, but
 * {@link #nodes} (the shell).
 */
final class Sends {
    private static final Logger LOG = LoggerFactory.getLogger(Sends.class);

    private final MessageBus bus;
    private final Supplier<ObjectSyncLedger> ledgers;
    private final AckCheck acked;
    private final NamedCounters counters;
    private final Runnable failed;
    private final KubeJson json;
    private final SentObjects sent = new SentObjects();
    /** Nodes whose ObjectSyncs are void (new edge database) until this process ends. */
    private final Set<String> ledgerVoid = ConcurrentHashMap.newKeySet();

    /** {@code failed}: a send did not reach CloudHub (a reconciliation retries). */
    Sends(MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings, NamedCounters counters, KubeJson json,
            Runnable failed) {
        this.bus = bus;
        this.ledgers = ledgers;
        this.acked = new AckCheck(ledgers, settings.ledgerWait());
        this.counters = counters;
        this.json = json;
        this.failed = failed;
    }

    SentObjects sent() {
        return sent;
    }

    /** The node's edge lost its database: resend everything, whatever its ObjectSyncs say. */
    void voidLedger(String node) {
        ledgerVoid.add(node);
        sent.forget(node);
    }

    /** Insert (first time) or update; a version the node was already sent, or acked before a restart, is skipped. */
    void present(String node, ObjectRef ref, HasMetadata obj) {
        String uid = obj.getMetadata().getUid();
        String rv = obj.getMetadata().getResourceVersion();
        Sent previous = sent.get(node, uid);
        if (previous != null && !ResourceVersions.newerOrDifferent(rv, previous.resourceVersion())) {
            counters.increment("downstream.unchanged");
            return;
        }
        if (previous == null && !ledgerVoid.contains(node) && acked.ackedAlready(node, uid, rv)) {
            sent.put(node, uid, new Sent(ref, rv));
            counters.increment("downstream.skippedByLedger");
            return;
        }
        String op = previous == null ? Operations.INSERT : Operations.UPDATE;
        if (send(node, op, ref, json.tree(obj), rv)) {
            sent.put(node, uid, new Sent(ref, rv));
        }
    }

    void delete(String node, ObjectRef ref, HasMetadata obj) {
        if (send(node, Operations.DELETE, ref, json.tree(obj), obj.getMetadata().getResourceVersion())) {
            sent.remove(node, obj.getMetadata().getUid());
        }
    }

    private boolean send(String node, String op, ObjectRef ref, Object content, String rv) {
        Message m = Message.create(ModuleNames.EDGECONTROLLER, ModuleNames.ROUTE_RESOURCE, op,
                Resource.cloud(node, ref.namespace(), ref.type(), ref.name()), content)
                .withResourceVersion(rv == null ? "" : rv);
        try {
            bus.send(ModuleNames.CLOUDHUB, m);
            counters.increment("downstream." + op + "." + ref.type());
            return true;
        } catch (BusException e) {
            counters.increment("downstream.sendFailed");
            failed.run();
            LOG.error("{} {} for node {} not handed to CloudHub ({}); a reconciliation will retry", op, ref.key(),
                    node, e.getMessage());
            return false;
        }
    }

    /** Per node: labelled, connected, pods sent and acked (per the ledger), other objects sent. */
    List<EdgeNodeInfo> nodes(Set<String> edgeNodes, Set<String> connected) {
        ObjectSyncLedger ledger = ledgers.get();
        Set<String> names = new TreeSet<>(edgeNodes);
        names.addAll(connected);
        List<EdgeNodeInfo> infos = new ArrayList<>();
        for (String node : names) {
            int pods = 0, acked = 0, others = 0;
            for (Map.Entry<String, Sent> e : sent.of(node).entrySet()) {
                if (!ObjectRef.POD.equals(e.getValue().ref().type())) {
                    others++;
                    continue;
                }
                pods++;
                if (ledger != null && !ResourceVersions.newerOrDifferent(e.getValue().resourceVersion(),
                        safeAckedVersion(ledger, node, e.getKey()))) {
                    acked++;
                }
            }
            infos.add(new EdgeNodeInfo(node, edgeNodes.contains(node), connected.contains(node), pods,
                    ledger == null ? -1 : acked, others));
        }
        return infos;
    }

    private static String safeAckedVersion(ObjectSyncLedger ledger, String node, String uid) {
        try {
            String v = ledger.ackedVersion(node, uid);
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
