package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kedge.cloud.sync.ObjectSyncLedger;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * The ledger: informers on ObjectSync (all namespaces) and ClusterObjectSync, indexed by name {@code <node>.<uid>}.
 * Reads come from the cache only. Started once the CRDs are established; until then nothing is acked.
 */
final class ObjectSyncCache implements ObjectSyncLedger {
    static final String BY_NAME = "syncName";

    private final InformerSet informers = new InformerSet();
    private final Map<SyncKind, SharedIndexInformer<GenericKubernetesResource>> byKind = new EnumMap<>(SyncKind.class);
    private final CountDownLatch started = new CountDownLatch(1);

    void start(KubernetesClient client) {
        for (SyncKind k : SyncKind.values()) {
            var op = client.genericKubernetesResources(k.context);
            SharedIndexInformer<GenericKubernetesResource> informer = k.namespaced
                    ? op.inAnyNamespace().runnableInformer(0)
                    : op.runnableInformer(0);
            informer.itemStore(LeanStore.withoutManagedFields());
            informer.addIndexers(Map.of(BY_NAME, r -> List.of(r.getMetadata().getName())));
            byKind.put(k, informers.start(k.kind, informer));
        }
        started.countDown();
    }

    void close() {
        informers.close();
    }

    boolean synced() {
        return started.getCount() == 0 && informers.synced();
    }

    @Override
    public boolean awaitSynced(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            return started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
                    && informers.awaitSynced(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String ackedVersion(String node, String objectUid) {
        if (node == null || node.isEmpty() || objectUid == null || objectUid.isEmpty()) {
            return "";
        }
        GenericKubernetesResource sync = find(node + "." + objectUid);
        return sync == null ? "" : ackedVersion(sync);
    }

    /** The cached ObjectSync or ClusterObjectSync of that name; null when none (or not started). */
    GenericKubernetesResource find(String name) {
        if (started.getCount() != 0) {
            return null;
        }
        for (SharedIndexInformer<GenericKubernetesResource> informer : byKind.values()) {
            List<GenericKubernetesResource> hits = informer.getIndexer().byIndex(BY_NAME, name);
            if (!hits.isEmpty()) {
                return hits.get(0);
            }
        }
        return null;
    }

    /** The cached one of that kind in that namespace ("" for a ClusterObjectSync). */
    GenericKubernetesResource get(SyncKind kind, String namespace, String name) {
        if (started.getCount() != 0) {
            return null;
        }
        return byKind.get(kind).getStore().getByKey(kind.namespaced ? Cache.namespaceKeyFunc(namespace, name) : name);
    }

    /** Every cached ObjectSync and ClusterObjectSync. */
    List<GenericKubernetesResource> all() {
        List<GenericKubernetesResource> all = new ArrayList<>();
        if (started.getCount() == 0) {
            byKind.values().forEach(i -> all.addAll(i.getStore().list()));
        }
        return all;
    }

    static String ackedVersion(GenericKubernetesResource sync) {
        Object rv = sync.get("status", "objectResourceVersion");
        return rv instanceof String s ? s : "";
    }

    static String spec(GenericKubernetesResource sync, String field) {
        Object v = sync.get("spec", field);
        return v instanceof String s ? s : "";
    }
}
