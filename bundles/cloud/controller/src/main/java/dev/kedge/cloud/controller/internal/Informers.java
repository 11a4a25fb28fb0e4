package dev.kedge.cloud.controller.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * The informers downstream reads, one per resource kind (labelled edge nodes, pods indexed by node, configmaps,
 * secrets), and their caches. Their threads only hand events to the {@link Sink}.
 */
final class Informers {
    private static final Logger LOG = LoggerFactory.getLogger(Informers.class);
    private static final String BY_NODE = "spec.nodeName";
    private static final Duration START_WAIT = Duration.ofSeconds(5);

    enum Kind { NODE, POD, CONFIGMAP, SECRET }

    enum Change { ADD, UPDATE, DELETE }

    interface Sink {
        void accept(Kind kind, Change change, HasMetadata object);
    }

    private final List<SharedIndexInformer<?>> all = new ArrayList<>();
    private final SharedIndexInformer<Node> nodes;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<ConfigMap> configMaps;
    private final SharedIndexInformer<Secret> secrets;

    /** Configmaps and secrets first, then nodes, then pods: a pod's event then finds its node and objects cached. */
    Informers(KubernetesClient client, Sink sink) {
        configMaps = register(client.configMaps().inAnyNamespace().runnableInformer(0), Kind.CONFIGMAP, sink);
        secrets = register(client.secrets().inAnyNamespace().runnableInformer(0), Kind.SECRET, sink);
        nodes = register(client.nodes().withLabel(Downstream.EDGE_LABEL).runnableInformer(0), Kind.NODE, sink);
        pods = client.pods().inAnyNamespace().runnableInformer(0);
        pods.addIndexers(Map.of(BY_NODE, p -> List.of(Downstream.nodeName(p))));
        register(pods, Kind.POD, sink);
    }

    private <T extends HasMetadata> SharedIndexInformer<T> register(SharedIndexInformer<T> informer, Kind kind,
            Sink sink) {
        // keep retrying list/watch failures: the API server may be briefly away
        informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("{} informer: {} (retrying)", kind, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                sink.accept(kind, Change.ADD, obj);
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                sink.accept(kind, Change.UPDATE, newObj);
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                sink.accept(kind, Change.DELETE, obj);
            }
        });
        all.add(informer);
        return informer;
    }

    /** Starts them one after the other, in registration order; true once all listed and watch. */
    boolean start(BooleanSupplier running) {
        for (SharedIndexInformer<?> informer : all) {
            var stage = informer.start().toCompletableFuture();
            while (running.getAsBoolean()) {
                try {
                    stage.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    LOG.debug("waiting for the {} informer to sync", informer.getApiTypeClass().getSimpleName());
                } catch (InterruptedException e) {
                    return false;
                } catch (ExecutionException e) {
                    LOG.error("{} informer failed to start: {}", informer.getApiTypeClass().getSimpleName(),
                            e.getCause().toString());
                    return false;
                }
            }
        }
        if (!running.getAsBoolean()) {
            return false;
        }
        LOG.info("EdgeController informers synced: {} edge nodes, {} pods, {} configmaps, {} secrets",
                nodes.getStore().list().size(), pods.getStore().list().size(), configMaps.getStore().list().size(),
                secrets.getStore().list().size());
        return true;
    }

    void stop() {
        all.forEach(SharedIndexInformer::stop);
    }

    /** The informer's copy of an edge node (labelled), or null; shared with the informer: not to be changed. */
    Node edgeNode(String node) {
        return nodes.getStore().getByKey(node);
    }

    boolean isEdgeNode(String node) {
        return nodes.getStore().getByKey(node) != null;
    }

    List<String> edgeNodeNames() {
        return nodes.getStore().list().stream().map(n -> n.getMetadata().getName()).toList();
    }

    List<Pod> podsOn(String node) {
        return pods.getIndexer().byIndex(BY_NODE, node);
    }

    /** The cached object, or null. */
    HasMetadata cached(ObjectRef ref) {
        return switch (ref.type()) {
            case ObjectRef.CONFIGMAP -> configMaps.getStore().getByKey(ref.key());
            case ObjectRef.SECRET -> secrets.getStore().getByKey(ref.key());
            case ObjectRef.POD -> pods.getStore().getByKey(ref.key());
            default -> null;
        };
    }
}
