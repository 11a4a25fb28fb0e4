package dev.kedge.cloud.sync.internal;

import java.net.HttpURLConnection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

import dev.kedge.core.ResourceVersions;

/**
 * The one thread that writes ObjectSyncs. It takes the oldest pending write from the coalescing queue, so while a
 * write is in flight, newer acks for the same ObjectSync merge into one. Status is written with optimistic locking:
 * a 409 means our copy was stale: re-read and decide again (never lowering the recorded version). Server and
 * network errors are retried with exponential backoff through the queue (a newer ack overtakes the retry).
 */
final class ObjectSyncWriter implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectSyncWriter.class);
    /** Re-reads after conflicts before an attempt counts as failed. */
    private static final int CONFLICT_ROUNDS = 5;
    private static final long BASE_BACKOFF_MS = 200;

    private final KubernetesClient client;
    private final ObjectSyncCache cache;
    private final CoalescingQueue<SyncWrite> queue;
    private final ScheduledExecutorService retries;
    private final SyncCounters counters;
    private final SyncSettings config;
    private volatile boolean closed;

    ObjectSyncWriter(KubernetesClient client, ObjectSyncCache cache, CoalescingQueue<SyncWrite> queue,
            ScheduledExecutorService retries, SyncCounters counters, SyncSettings config) {
        this.client = client;
        this.cache = cache;
        this.queue = queue;
        this.retries = retries;
        this.counters = counters;
        this.config = config;
    }

    void close() {
        closed = true;
    }

    @Override
    public void run() {
        while (!closed) {
            SyncWrite w;
            try {
                w = queue.poll(500);
            } catch (InterruptedException e) {
                return;
            }
            if (w != null) {
                write(w);
            }
        }
    }

    void write(SyncWrite w) {
        try {
            if (w.op() == SyncWrite.Op.RECORD) {
                record(w);
            } else {
                remove(w);
            }
        } catch (KubernetesClientException e) {
            if (closed) {
                LOG.debug("ObjectSync {} {} cut short by shutdown: {}", w.name(), w.op(), e.getMessage());
                return;
            }
            counters.writeFailures.increment();
            if (retryable(e.getCode()) && w.attempt() + 1 < config.maxWriteAttempts()) {
                long delay = backoffMs(w.attempt(), config.maxRetryBackoffMs());
                LOG.warn("ObjectSync {} {}: {} (HTTP {}); retry in {} ms", w.name(), w.op(), e.getMessage(),
                        e.getCode(), delay);
                counters.retries.increment();
                try {
                    retries.schedule(() -> requeue(w.retry()), delay, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException shuttingDown) {
                    LOG.debug("ObjectSync {} retry not scheduled: shutting down", w.name());
                }
            } else {
                counters.abandoned.increment();
                LOG.error("ObjectSync {} {} given up after {} attempt(s): {} (HTTP {}); the reconcile loop resends"
                        + " the object and the edge acks again", w.name(), w.op(), w.attempt() + 1, e.getMessage(),
                        e.getCode());
            }
        } catch (RuntimeException e) {
            counters.writeFailures.increment();
            counters.abandoned.increment();
            LOG.error("ObjectSync {} {} failed", w.name(), w.op(), e);
        }
    }

    private void requeue(SyncWrite w) {
        try {
            if (queue.offer(w, 0) == CoalescingQueue.Offer.FULL) {
                counters.dropped.increment();
                LOG.error("ObjectSync {} retry dropped: write queue full", w.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Server side and throttling problems pass; a request the server refuses (4xx) will be refused again. */
    static boolean retryable(int code) {
        return code <= 0 || code == 429 || code == HttpURLConnection.HTTP_CONFLICT || code >= 500;
    }

    static long backoffMs(int attempt, long max) {
        return Math.min(max, BASE_BACKOFF_MS << Math.min(attempt, 20));
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList,
            Resource<GenericKubernetesResource>> syncs(SyncWrite w) {
        var op = client.genericKubernetesResources(w.kind().context);
        return w.kind().namespaced ? op.inNamespace(w.namespace()) : op;
    }

    private void record(SyncWrite w) {
        GenericKubernetesResource current = cache.get(w.kind(), w.namespace(), w.name());
        for (int round = 0; round < CONFLICT_ROUNDS; round++) {
            if (round > 0) {
                counters.conflicts.increment();
                current = syncs(w).withName(w.name()).get();
            }
            if (current == null) {
                current = create(w);
                if (current == null) {
                    continue; // someone created it meanwhile: read theirs
                }
            }
            String recorded = ObjectSyncCache.ackedVersion(current);
            if (!ResourceVersions.newer(w.resourceVersion(), recorded)) {
                counters.staleAcks.increment();
                LOG.debug("ObjectSync {} already at {} (ack {}): kept", w.name(), recorded, w.resourceVersion());
                return;
            }
            if (writeStatus(w, current)) {
                return;
            }
        }
        throw new KubernetesClientException("still conflicting after " + CONFLICT_ROUNDS + " re-reads",
                HttpURLConnection.HTTP_CONFLICT, null);
    }

    /** The created ObjectSync (status not yet set: it is a subresource); null when it already exists. */
    private GenericKubernetesResource create(SyncWrite w) {
        GenericKubernetesResource sync = new GenericKubernetesResource();
        sync.setApiVersion(SyncKind.API_VERSION);
        sync.setKind(w.kind().kind);
        sync.setMetadata(new ObjectMetaBuilder().withName(w.name())
                .withNamespace(w.kind().namespaced ? w.namespace() : null).build());
        Map<String, Object> spec = new HashMap<>();
        spec.put("objectAPIVersion", w.objectApiVersion());
        spec.put("objectKind", w.objectKind());
        spec.put("objectName", w.objectName());
        sync.setAdditionalProperty("spec", spec);
        try {
            GenericKubernetesResource created = syncs(w).resource(sync).create();
            counters.writes.increment();
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
                return null;
            }
            throw e;
        }
    }

    /** False on a conflict (our copy is stale, or it was deleted meanwhile). */
    private boolean writeStatus(SyncWrite w, GenericKubernetesResource current) {
        GenericKubernetesResource next = new GenericKubernetesResource();
        next.setApiVersion(SyncKind.API_VERSION);
        next.setKind(w.kind().kind);
        next.setMetadata(new ObjectMetaBuilder().withName(w.name())
                .withNamespace(w.kind().namespaced ? w.namespace() : null)
                .withResourceVersion(current.getMetadata().getResourceVersion()).build());
        next.setAdditionalProperty("spec", current.getAdditionalProperties().get("spec"));
        next.setAdditionalProperty("status", Map.of("objectResourceVersion", w.resourceVersion()));
        try {
            syncs(w).resource(next).updateStatus();
            counters.writes.increment();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_CONFLICT || e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private void remove(SyncWrite w) {
        try {
            syncs(w).withName(w.name()).delete();
            counters.writes.increment();
            if (w.op() == SyncWrite.Op.COLLECT) {
                counters.collected.increment();
                LOG.info("ObjectSync {} deleted: node {} no longer exists", w.name(), ObjectSyncNames.node(w.name()));
            }
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
                throw e;
            }
        }
    }
}
