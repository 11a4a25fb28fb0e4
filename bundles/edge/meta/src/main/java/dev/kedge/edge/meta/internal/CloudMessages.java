package dev.kedge.edge.meta.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;

/**
 * Cloud → edge ({@code process.go} insert/update/patch/delete/response from the controllers): write to {@code meta},
 * and only after the COMMIT ack to the cloud and hand the message to edged. The module thread only queues the write,
 * so many messages share one commit; the single store writer keeps per-key order. A failed write is never acked:
 * CloudHub resends it.
 */
final class CloudMessages {
    private static final Logger LOG = LoggerFactory.getLogger(CloudMessages.class);

    /** What a write did. */
    enum Outcome { STORED, STALE, DELETED, KEPT, ABSENT }

    private final EdgeStore store;
    private final Replies replies;
    private final MetaCounters counters;
    private final Executor afterCommit;
    private final Revisions revisions;

    CloudMessages(EdgeStore store, Replies replies, MetaCounters counters, Executor afterCommit,
            Revisions revisions) {
        this.store = store;
        this.revisions = revisions;
        this.replies = replies;
        this.counters = counters;
        this.afterCommit = afterCommit;
    }

    /** Returns false when the operation is not one the cloud sends to MetaManager. */
    boolean handle(Message m, Resource r) {
        switch (m.operation()) {
            case Operations.INSERT, Operations.UPDATE, Operations.PATCH -> upsert(m, r, true);
            case Operations.RESPONSE -> upsert(m, r, ModuleNames.EDGECONTROLLER.equals(m.source()));
            case Operations.DELETE -> delete(m, r);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void upsert(Message m, Resource r, boolean forwardToEdged) {
        String key = m.resource();
        String value = m.contentAsString();
        ObjectMeta incoming = ObjectMeta.ofMessage(m);
        submit(m, forwardToEdged, write("meta " + m.operation() + " " + key, new String[] {r.type()}, c -> {
            String stored = MetaTable.value(c, key);
            if (stored != null && ObjectMeta.ofJson(stored).newerThan(incoming)) {
                return Outcome.STALE; // a resend of an older version: the stored row stays
            }
            MetaTable.upsert(c, key, r.type(), value);
            return Outcome.STORED;
        }));
    }

    /** KubeEdge's {@code processDeletePodDB}: a pod row goes only if its UID is the message's (and its podpatch too). */
    private void delete(Message m, Resource r) {
        String key = m.resource();
        boolean pod = ResourceTypes.POD.equals(r.type());
        String uid = pod ? ObjectMeta.ofMessage(m).uid() : "";
        String[] types = pod ? new String[] {r.type(), ResourceTypes.POD_PATCH} : new String[] {r.type()};
        submit(m, true, write("meta delete " + key, types, c -> {
            if (pod) {
                String stored = MetaTable.value(c, key);
                if (stored == null) {
                    return Outcome.ABSENT;
                }
                if (!ObjectMeta.ofJson(stored).uid().equals(uid)) {
                    return Outcome.KEPT;
                }
                MetaTable.delete(c, r.namespace() + "/podpatch/" + r.name());
            }
            return MetaTable.delete(c, key) ? Outcome.DELETED : Outcome.ABSENT;
        }));
    }

    /** A write the store refuses at once (queue full, stopping) is handled like a failed commit: no ack. */
    private CompletableFuture<Outcome> write(String what, String[] types, SqlWork<Outcome> work) {
        try {
            return revisions.afterCommit(store.write(what, work), types);
        } catch (StoreException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void submit(Message m, boolean forwardToEdged, CompletableFuture<Outcome> write) {
        write.whenCompleteAsync((outcome, error) -> committed(m, forwardToEdged, outcome, error), afterCommit);
    }

    private void committed(Message m, boolean forwardToEdged, Outcome outcome, Throwable error) {
        if (error != null) {
            counters.failedWrites.increment();
            LOG.error("cloud message {} ({} {}) not stored, not acked (the cloud resends it): {}", m.id(),
                    m.operation(), m.resource(), error.getMessage());
            return;
        }
        switch (outcome) {
            case STORED -> counters.stored.increment();
            case STALE -> {
                counters.stale.increment();
                LOG.debug("{} {}: stored version is newer than {}; kept", m.operation(), m.resource(),
                        ObjectMeta.ofMessage(m).resourceVersion());
            }
            case DELETED -> counters.deleted.increment();
            case KEPT -> LOG.info("delete {} for UID {} kept the stored pod: it has another UID", m.resource(),
                    ObjectMeta.ofMessage(m).uid());
            case ABSENT -> LOG.debug("delete {}: no such row", m.resource());
        }
        replies.ack(m);
        if (forwardToEdged && outcome != Outcome.STALE) {
            if (ModuleNames.DEVICECONTROLLER.equals(m.source())) {
                replies.toTwin(m); // Device/DeviceModel objects are DeviceTwin's (KubeEdge's processInsert/Update)
            } else {
                replies.toEdged(m);
            }
        }
    }
}
