package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * What the objects look like now: informers on pods, configmaps and secrets (the kinds EdgeController sends) and on
 * nodes (only their existence is kept), all namespaces, no handlers.
 */
final class LiveObjects {
    private final InformerSet informers = new InformerSet();
    private final Map<LiveKind, SharedIndexInformer<? extends HasMetadata>> byKind = new EnumMap<>(LiveKind.class);
    private SharedIndexInformer<Node> nodes;
    private final CountDownLatch started = new CountDownLatch(1);

    void start(KubernetesClient client) {
        byKind.put(LiveKind.POD, informers.start("Pod",
                client.pods().inAnyNamespace().runnableInformer(0).itemStore(LeanStore.withoutManagedFields())));
        byKind.put(LiveKind.CONFIGMAP, informers.start("ConfigMap",
                client.configMaps().inAnyNamespace().runnableInformer(0).itemStore(LeanStore.withoutManagedFields())));
        byKind.put(LiveKind.SECRET, informers.start("Secret",
                client.secrets().inAnyNamespace().runnableInformer(0).itemStore(LeanStore.withoutManagedFields())));
        nodes = informers.start("Node", client.nodes().runnableInformer(0).itemStore(new LeanStore<>(LiveObjects::nameOnly)));
        started.countDown();
    }

    private static Node nameOnly(Node n) {
        Node lean = new Node();
        lean.setMetadata(new ObjectMetaBuilder().withName(n.getMetadata().getName()).withUid(n.getMetadata().getUid())
                .withResourceVersion(n.getMetadata().getResourceVersion()).build());
        return lean;
    }

    void close() {
        informers.close();
    }

    boolean synced() {
        return started.getCount() == 0 && informers.synced();
    }

    boolean awaitSynced(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        return started.await(timeout.toNanos(), TimeUnit.NANOSECONDS)
                && informers.awaitSynced(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** The cached object, null when it does not exist (or is not cached yet). */
    HasMetadata get(LiveKind kind, String namespace, String name) {
        if (started.getCount() != 0) {
            return null;
        }
        return byKind.get(kind).getStore().getByKey(Cache.namespaceKeyFunc(namespace, name));
    }

    boolean nodeExists(String name) {
        return started.getCount() == 0 && nodes.getStore().getByKey(name) != null;
    }
}
