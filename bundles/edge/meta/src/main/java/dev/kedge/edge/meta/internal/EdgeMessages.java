package dev.kedge.edge.meta.internal;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;

/**
 * Edge modules → MetaManager (docs/messages.md "Edge → cloud"): reports are stored and forwarded to the cloud;
 * node/lease writes and queries of cloud-owned types are remote operations; other queries are answered locally.
 */
final class EdgeMessages {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeMessages.class);

    /** Types a query asks the cloud for when connected (KubeEdge's {@code isRemoteQuery}). */
    static final Set<String> REMOTE_QUERY_TYPES = Set.of(ResourceTypes.CONFIGMAP, ResourceTypes.SECRET,
            ResourceTypes.PERSISTENT_VOLUME, ResourceTypes.PERSISTENT_VOLUME_CLAIM, ResourceTypes.VOLUME_ATTACHMENT,
            ResourceTypes.SERVICE_ACCOUNT_TOKEN, ResourceTypes.LEASE, ResourceTypes.CERTIFICATE_SIGNING_REQUEST);

    private final EdgeStore store;
    private final Replies replies;
    private final RemoteOps remote;
    private final LocalAnswers local;
    private final MetaCounters counters;
    private final Executor afterCommit;
    private final Revisions revisions;

    EdgeMessages(EdgeStore store, Replies replies, RemoteOps remote, LocalAnswers local, MetaCounters counters,
            Executor afterCommit, Revisions revisions) {
        this.store = store;
        this.revisions = revisions;
        this.replies = replies;
        this.remote = remote;
        this.local = local;
        this.counters = counters;
        this.afterCommit = afterCommit;
    }

    /** Returns false when the operation is not one an edge module sends to MetaManager. */
    boolean handle(Message m, Resource r) {
        String type = r.type();
        if ("event".equals(type)) {
            replies.toCloud(m); // events are the cloud's business, never stored
            okIfSync(m);
            return true;
        }
        switch (m.operation()) {
            case Operations.INSERT -> {
                if (ResourceTypes.NODE.equals(type) || ResourceTypes.LEASE.equals(type)) {
                    remote.object(m, r);
                } else {
                    storeAndForward(m, r);
                }
            }
            case Operations.UPDATE -> {
                if (ResourceTypes.LEASE.equals(type)) {
                    remote.object(m, r);
                } else {
                    storeAndForward(m, r);
                }
            }
            case Operations.PATCH -> storeAndForward(m, r);
            case Operations.DELETE -> delete(m, r);
            case Operations.QUERY -> {
                if (REMOTE_QUERY_TYPES.contains(type)) {
                    remote.query(m, r);
                } else {
                    local.query(m, r);
                }
            }
            case Operations.RESPONSE -> replies.toCloud(m);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** Status reports: to the cloud now (it is the truth), into meta for offline reads; "OK" after the commit. */
    private void storeAndForward(Message m, Resource r) {
        replies.toCloud(m);
        String key = m.resource();
        String value = m.contentAsString();
        localWrite(m, r.type(), "meta " + m.operation() + " " + key, c -> {
            MetaTable.upsert(c, key, r.type(), value);
            return Boolean.TRUE;
        });
    }

    /** A pod delete from edged asks the cloud to delete the pod; the row goes when the cloud's delete comes back. */
    private void delete(Message m, Resource r) {
        if (ResourceTypes.POD.equals(r.type())) {
            replies.toCloud(m);
            okIfSync(m);
            return;
        }
        String key = m.resource();
        localWrite(m, r.type(), "meta delete " + key, c -> MetaTable.delete(c, key));
    }

    private void localWrite(Message m, String type, String what, SqlWork<Boolean> work) {
        CompletableFuture<Boolean> f;
        try {
            f = revisions.afterCommit(store.write(what, work), type);
        } catch (StoreException e) {
            f = CompletableFuture.failedFuture(e);
        }
        f.whenCompleteAsync((changed, error) -> {
            if (error != null) {
                counters.failedWrites.increment();
                LOG.error("edge message {} ({} {} from {}) not stored: {}", m.id(), m.operation(), m.resource(),
                        m.source(), error.getMessage());
                if (m.header().sync()) {
                    replies.error(m, "meta write failed: " + error.getMessage());
                }
                return;
            }
            if (Operations.DELETE.equals(m.operation())) {
                if (changed) {
                    counters.deleted.increment();
                }
            } else {
                counters.stored.increment();
            }
            okIfSync(m);
        }, afterCommit);
    }

    private void okIfSync(Message m) {
        if (m.header().sync()) {
            replies.answer(m, Operations.OK);
        }
    }
}
