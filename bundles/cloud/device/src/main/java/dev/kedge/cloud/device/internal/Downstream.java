package dev.kedge.cloud.device.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.MessageBus;
import dev.kedge.core.NamedCounters;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Cloud → edge. One worker installs the CRDs, starts informers on edge nodes, DeviceModels and Devices, then turns
 * their events into KubeEdge's messages in event order: a Device bound to an edge node ({@code spec.nodeName}) is
 * announced in the node's membership, its DeviceModel (first device of that model on the node) and itself go as
 * objects (acked and ObjectSync'd through CloudHub and SyncController), desired values as twin updates. A move is a
 * removal from the old node and an addition to the new one. Invalid specs are logged, counted and not sent.
 * <p>
 * This class is the event loop: the informers, the bounded event queue and its one worker. {@link Bindings} decides
 * which device goes to which node, {@link Sends} hands the messages to CloudHub.
 */
final class Downstream implements AutoCloseable {
    static final String EDGE_LABEL = "node-role.kubernetes.io/edge";
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);
    private static final Duration START_WAIT = Duration.ofSeconds(5);
    private static final Duration CRD_RETRY = Duration.ofSeconds(5);

    private enum Kind { DEVICE, MODEL, NODE, RECONNECTED, DETAIL }

    private enum Change { ADD, UPDATE, DELETE }

    private record Event(Kind kind, Change change, HasMetadata object, String node) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final NamedCounters counters;
    private final BlockingQueue<Event> events;
    private final ThreadFactory threads = DaemonThreads.factory("devicecontroller-downstream");
    private final AtomicBoolean resyncWanted = new AtomicBoolean();
    private final Bindings bindings;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile DeviceCrds.Served served;
    private volatile boolean running;
    private volatile boolean started;
    private Thread worker;
    private SharedIndexInformer<GenericKubernetesResource> deviceInformer;
    private SharedIndexInformer<GenericKubernetesResource> modelInformer;

    Downstream(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings,
            NamedCounters counters) {
        this.client = client;
        this.settings = settings;
        this.counters = counters;
        this.events = new ArrayBlockingQueue<>(settings.eventQueueSize());
        Sends sends = new Sends(bus, ledgers, settings, counters, () -> resyncWanted.set(true));
        this.bindings = new Bindings(settings, counters, sends);
    }

    synchronized void start() {
        running = true;
        worker = threads.newThread(this::run);
        worker.start();
    }

    @Override
    public synchronized void close() {
        running = false;
        informers.forEach(SharedIndexInformer::stop);
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True once the CRDs are established and every informer listed. */
    boolean started() {
        return started;
    }

    /** What the CRDs offer; null until installed. */
    DeviceCrds.Served served() {
        return served;
    }

    DeviceSpec device(String key) {
        return bindings.device(key);
    }

    String boundNode(String key) {
        return bindings.boundNode(key);
    }

    String problem(String key) {
        return bindings.problem(key);
    }

    Map<String, DeviceSpec> devices() {
        return bindings.devices();
    }

    /** The node's edge (re)connected: its membership goes again (membership messages are not acked). */
    void reconnected(String node) {
        enqueue(new Event(Kind.RECONNECTED, Change.UPDATE, null, node));
    }

    /** The node's DeviceTwin asked for its membership detail. */
    void detailRequested(String node) {
        enqueue(new Event(Kind.DETAIL, Change.UPDATE, null, node));
    }

    // ---- informer side: enqueue only

    private void run() {
        while (running && served == null) {
            try {
                served = DeviceCrds.ensure(client, settings.installCrds(), 60);
            } catch (RuntimeException e) {
                counters.increment("crd.errors");
                LOG.error("device CRDs not ready ({}); retrying in {}", e.toString(), CRD_RETRY);
                if (!sleep(CRD_RETRY)) {
                    return;
                }
            }
        }
        SharedIndexInformer<Node> nodeInformer = client.nodes().withLabel(EDGE_LABEL).runnableInformer(0);
        modelInformer = client.genericKubernetesResources(DeviceKinds.MODEL).inAnyNamespace().runnableInformer(0);
        deviceInformer = client.genericKubernetesResources(DeviceKinds.DEVICE).inAnyNamespace().runnableInformer(0);
        synchronized (this) {
            if (!running) {
                return;
            }
            register(nodeInformer, Kind.NODE);
            register(modelInformer, Kind.MODEL);
            register(deviceInformer, Kind.DEVICE);
        }
        // nodes and models first: a device's first event then finds its node and model known
        for (SharedIndexInformer<?> informer : informers) {
            if (!awaitStart(informer)) {
                return;
            }
            drain();
        }
        started = true;
        LOG.info("DeviceController informers synced: {}", bindings.counts());
        while (running) {
            try {
                Event e = events.poll(1, TimeUnit.SECONDS);
                if (e != null) {
                    handle(e);
                }
                if (resyncWanted.compareAndSet(true, false)) {
                    resync();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                counters.increment("downstream.errors");
                resyncWanted.set(true);
                LOG.error("downstream event failed; a resync is scheduled", e);
            }
        }
    }

    private boolean awaitStart(SharedIndexInformer<?> informer) {
        var stage = informer.start().toCompletableFuture();
        while (running) {
            try {
                stage.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                drain();
            } catch (InterruptedException e) {
                return false;
            } catch (ExecutionException e) {
                LOG.error("{} informer failed to start: {}", informer.getApiTypeClass().getSimpleName(),
                        e.getCause().toString());
                return false;
            }
        }
        return false;
    }

    /** Handles what is queued now (during start-up, between informers). */
    private void drain() {
        Event e;
        while ((e = events.poll()) != null) {
            try {
                handle(e);
            } catch (RuntimeException ex) {
                counters.increment("downstream.errors");
                resyncWanted.set(true);
                LOG.error("downstream event failed; a resync is scheduled", ex);
            }
        }
    }

    private <T extends HasMetadata> void register(SharedIndexInformer<T> informer, Kind kind) {
        informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("{} informer: {} (retrying)", kind, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                enqueue(new Event(kind, Change.ADD, obj, null));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                enqueue(new Event(kind, Change.UPDATE, newObj, null));
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                enqueue(new Event(kind, Change.DELETE, obj, null));
            }
        });
        informers.add(informer);
    }

    private void enqueue(Event event) {
        try {
            if (events.offer(event, settings.enqueueTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        counters.increment("downstream.eventsDropped");
        resyncWanted.set(true);
        LOG.warn("event queue full ({}): {} {} dropped; a resync from the informer caches follows",
                settings.eventQueueSize(), event.change(), event.kind());
    }

    // ---- worker side

    private void handle(Event e) {
        switch (e.kind()) {
            case NODE -> bindings.nodeEvent(e.object().getMetadata().getName(), e.change() != Change.DELETE);
            case MODEL -> {
                JsonNode tree = tree(e.object());
                if (e.change() == Change.DELETE) {
                    bindings.modelDeleted(tree);
                } else {
                    bindings.modelChanged(tree);
                }
            }
            case DEVICE -> {
                DeviceSpec spec = DeviceSpec.of(tree(e.object()));
                if (e.change() == Change.DELETE) {
                    bindings.deviceDeleted(spec);
                } else {
                    bindings.deviceChanged(spec);
                }
            }
            case RECONNECTED -> bindings.resendMembership(e.node());
            case DETAIL -> bindings.sendDetail(e.node());
        }
    }

    /** After lost events or failed sends: everything again from the informer caches (sends skip the unchanged). */
    private void resync() {
        counters.increment("downstream.resyncs");
        Set<String> present = new HashSet<>();
        modelInformer.getStore().list().forEach(m -> bindings.modelChanged(tree(m)));
        for (GenericKubernetesResource d : deviceInformer.getStore().list()) {
            DeviceSpec spec = DeviceSpec.of(tree(d));
            present.add(spec.key());
            bindings.deviceResynced(spec);
        }
        bindings.devices().values().stream().filter(d -> !present.contains(d.key())).toList()
                .forEach(bindings::deviceDeleted);
        LOG.info("resynced {} devices from the informer caches", present.size());
    }

    private JsonNode tree(Object obj) {
        return client.getKubernetesSerialization().convertValue(obj, JsonNode.class);
    }

    private boolean sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
