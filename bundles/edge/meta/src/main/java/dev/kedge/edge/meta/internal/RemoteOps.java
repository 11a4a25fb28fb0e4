package dev.kedge.edge.meta.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;
import dev.kedge.edge.store.EdgeStore;

/**
 * Edge requests only the cloud can answer (node registration, leases, fresh configmaps/secrets): sent with
 * {@code sendSync} from a small bounded worker pool, never from the module thread. The answer is cached in
 * {@code meta} and passed to the requester. Offline, they fail at once with "not connected"; queries then fall back
 * to {@code meta}.
 */
final class RemoteOps {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteOps.class);
    static final String NOT_CONNECTED = "not connected";

    private final MessageBus bus;
    private final EdgeStore store;
    private final Replies replies;
    private final LocalAnswers local;
    private final MetaCounters counters;
    private final BooleanSupplier connected;
    private final Duration timeout;
    private final Lane workers;
    private final String metaId;
    private final Revisions revisions;

    RemoteOps(MessageBus bus, EdgeStore store, Replies replies, LocalAnswers local, MetaCounters counters,
            BooleanSupplier connected, MetaSettings settings, String metaId, Revisions revisions) {
        this.metaId = metaId;
        this.revisions = revisions;
        this.bus = bus;
        this.store = store;
        this.replies = replies;
        this.local = local;
        this.counters = counters;
        this.connected = connected;
        this.timeout = settings.remoteTimeout();
        this.workers = DaemonThreads.onDemand("meta-remote", settings.remoteWorkers(), settings.remoteQueueCapacity());
    }

    /**
     * node insert, lease insert/update: the object is cached unwrapped; the requester gets the cloud's answer as it
     * came (KubeEdge's ObjectResp, which its edged reads too), or an error.
     */
    void object(Message m, Resource r) {
        if (!connected.getAsBoolean()) {
            failed(m, NOT_CONNECTED);
            return;
        }
        run(m, () -> {
            Message answer;
            // a registration tells the cloud which database this edge has (MetaIdentity)
            Message out = ResourceTypes.NODE.equals(r.type()) ? MetaIdentity.stamp(m, metaId) : m;
            try {
                answer = bus.sendSync(ModuleNames.EDGEHUB, Replies.copyForCloud(out, true), timeout);
            } catch (BusException e) {
                failed(m, e.getMessage());
                return;
            }
            RemoteAnswer object = RemoteAnswer.of(ObjectResp.read(answer), answer);
            if (object.failed()) {
                failed(m, object.failure());
                return;
            }
            cache(m, r, object.object());
            counters.remoteOk.increment();
            replies.answer(m, answer.content());
        });
    }

    /** A query for a type the cloud owns: its answer when it gives one, else {@code meta}'s. */
    void query(Message m, Resource r) {
        if (!connected.getAsBoolean()) {
            local.query(m, r);
            return;
        }
        run(m, () -> {
            Message answer;
            try {
                answer = bus.sendSync(ModuleNames.EDGEHUB, Replies.copyForCloud(m, true), timeout);
            } catch (BusException e) {
                counters.remoteFailed.increment();
                LOG.warn("remote query {} failed ({}); answering from meta", m.resource(), e.getMessage());
                local.query(m, r);
                return;
            }
            RemoteAnswer object = RemoteAnswer.of(ObjectResp.read(answer), answer);
            if (object.failed()) {
                failed(m, object.failure());
                return;
            }
            String value = cache(m, r, object.object());
            counters.remoteOk.increment();
            replies.answer(m, LocalAnswers.array(List.of(value)));
        });
    }

    private void run(Message m, Runnable work) {
        try {
            workers.execute(work);
        } catch (RejectedExecutionException e) {
            failed(m, "too many remote operations waiting for the cloud (" + workers.queued() + ")");
        }
    }

    /** Stores the cloud's answer under the request's key; waits for the commit so a next local read sees it. */
    private String cache(Message m, Resource r, String value) {
        String key = m.resource();
        try {
            revisions.afterCommit(store.write("meta cache " + key, c -> {
                MetaTable.upsert(c, key, r.type(), value);
                return null;
            }), r.type()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            counters.stored.increment();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | TimeoutException | java.util.concurrent.ExecutionException e) {
            // the cloud did it; only the edge cache misses it
            counters.failedWrites.increment();
            LOG.error("answer to {} {} not cached in meta: {}", m.operation(), key, e.getMessage());
        }
        return value;
    }

    private void failed(Message m, String reason) {
        counters.remoteFailed.increment();
        LOG.warn("remote {} {} from {} failed: {}", m.operation(), m.resource(), m.source(), reason);
        replies.error(m, reason);
    }

    void stop() throws InterruptedException {
        workers.shutdownNow(); // waiting callers get their timeout; nothing here is durable state
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
