package dev.kedge.cloud.controller.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.controller.EdgeNodeInfo;
import dev.kedge.cloud.controller.internal.Informers.Kind;
import dev.kedge.cloud.controller.internal.SentObjects.Sent;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.MessageBus;
import dev.kedge.core.NamedCounters;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Cloud → edge: the {@link Informers}' events, one worker that turns them into messages to CloudHub in event order,
 * by kind ({@link EdgeNodes}, {@link PodSends}, {@link ObjectSends}, all through {@link Sends}). Informer threads only
 * enqueue (bounded wait); an event that finds no room is dropped and a reconciliation from the informer caches (what
 * exists vs what each node was sent) repairs the gap.
 */
final class Downstream implements AutoCloseable {
    static final String EDGE_LABEL = "node-role.kubernetes.io/edge";
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);

    /**
     * Informer changes, and: RESEND, the node's edge lost its database; CONNECTED/DISCONNECTED, the node's edge
     * connected to this replica's CloudHub, or left it.
     */
    private enum Change { ADD, UPDATE, DELETE, RESEND, CONNECTED, DISCONNECTED }

    private record Event(Kind kind, Change change, HasMetadata object, String node) {
    }

    private final KubernetesClient client;
    private final Settings settings;
    private final NamedCounters counters;
    private final BlockingQueue<Event> events;
    private final ReferenceIndex references = new ReferenceIndex();
    private final Sends sends;
    private final EdgeNodes nodes;
    private final AtomicBoolean reconcileWanted = new AtomicBoolean();
    private volatile boolean running;
    private volatile boolean started;
    private Informers informers;
    private PodSends pods;
    private ObjectSends objects;
    private Thread worker;
    private Thread starter;
    private long lastReconcileNanos = System.nanoTime();

    Downstream(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings,
            NamedCounters counters) {
        this.client = client;
        this.settings = settings;
        this.counters = counters;
        this.events = new ArrayBlockingQueue<>(settings.eventQueueSize());
        this.sends = new Sends(bus, ledgers, settings, counters, new KubeJson(client.getKubernetesSerialization()),
                () -> reconcileWanted.set(true));
        this.nodes = new EdgeNodes(bus, sends);
    }

    /** The node's edge registered with a new database: its pods, configmaps and secrets go to it again. */
    void resendEverything(String node) {
        enqueue(new Event(Kind.NODE, Change.RESEND, null, node));
    }

    /** CloudHub's link event. The set changes at once; the sending (or forgetting) follows in event order. */
    void linked(String node, boolean up) {
        if (nodes.linked(node, up)) {
            enqueue(new Event(Kind.NODE, up ? Change.CONNECTED : Change.DISCONNECTED, null, node));
        }
    }

    ReferenceIndex references() {
        return references;
    }

    /** Starts the worker, then the informers in dependency order on a starter thread (activation does not wait). */
    synchronized void start() {
        running = true;
        informers = new Informers(client, (kind, change, obj) -> enqueue(new Event(kind, Change.valueOf(change.name()),
                obj, obj.getMetadata().getName())));
        pods = new PodSends(informers, references, sends, nodes::isJoined);
        objects = new ObjectSends(references, sends, nodes::isJoined);
        nodes.sendPodsWith(pods);
        worker = daemon(this::work, "kedge-edgecontroller-downstream");
        starter = daemon(() -> started = informers.start(() -> running), "kedge-edgecontroller-informers");
    }

    /** The pods bound to {@code node} from the pod informer's index; null until every informer has synced. */
    /** The informers' copy of an edge node once they run, else null; not to be changed. */
    Node cachedEdgeNode(String node) {
        return started ? informers.edgeNode(node) : null;
    }

    List<Pod> cachedPodsOn(String node) {
        return started ? informers.podsOn(node) : null;
    }

    /** True once every informer listed and watches. */
    boolean started() {
        return started;
    }

    @Override
    public synchronized void close() {
        running = false;
        if (informers != null) {
            informers.stop();
        }
        for (Thread t : new Thread[] {starter, worker}) {
            if (t != null) {
                t.interrupt();
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    List<EdgeNodeInfo> nodes(Set<String> connected) {
        return sends.nodes(nodes.joined(), connected);
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
        reconcileWanted.set(true);
        LOG.warn("event queue full ({}): {} {} {} dropped; a reconciliation will resend from the caches",
                settings.eventQueueSize(), event.change(), event.kind(),
                event.object() == null ? event.node() : key(event.object()));
    }

    // ---- worker side

    private void work() {
        while (running) {
            try {
                Event e = events.poll(1, TimeUnit.SECONDS);
                if (e != null) {
                    handle(e);
                }
                if (reconcileWanted.get() && System.nanoTime() - lastReconcileNanos
                        >= settings.reconcileInterval().toNanos() && started) {
                    reconcileWanted.set(false);
                    lastReconcileNanos = System.nanoTime();
                    reconcile();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                counters.increment("downstream.errors");
                reconcileWanted.set(true);
                LOG.error("downstream event failed; a reconciliation is scheduled", e);
            }
        }
    }

    private void handle(Event e) {
        boolean deleted = e.change() == Change.DELETE;
        switch (e.kind()) {
            case NODE -> {
                switch (e.change()) {
                    case DELETE -> nodes.left(e.node());
                    case DISCONNECTED -> nodes.disconnected(e.node());
                    // not labelled yet (registering): its informer event joins it
                    case CONNECTED -> {
                        if (informers.isEdgeNode(e.node())) {
                            nodes.join(e.node());
                        }
                    }
                    case RESEND -> nodes.resend(e.node());
                    default -> nodes.join(e.node());
                }
            }
            case POD -> pods.changed((Pod) e.object(), deleted);
            case CONFIGMAP -> objects.changed(ObjectRef.CONFIGMAP, e.object(), deleted);
            case SECRET -> objects.changed(ObjectRef.SECRET, e.object(), deleted);
        }
    }

    /** After lost events or failed sends: current cache state vs what each node was sent. */
    private void reconcile() {
        counters.increment("downstream.reconciliations");
        Set<String> labelled = new HashSet<>(informers.edgeNodeNames());
        for (String node : nodes.joined()) {
            if (!labelled.contains(node)) {
                nodes.left(node);
            } else if (!nodes.isConnected(node)) {
                nodes.disconnected(node);
            }
        }
        for (String node : labelled) {
            if (!nodes.isConnected(node)) {
                continue;
            }
            if (!nodes.isJoined(node)) {
                nodes.join(node);
                continue;
            }
            pods.sendAllOf(node);
        }
        SentObjects sent = sends.sent();
        for (String node : sent.nodes()) {
            for (Map.Entry<String, Sent> e : sent.of(node).entrySet()) {
                ObjectRef ref = e.getValue().ref();
                HasMetadata current = informers.cached(ref);
                boolean gone = current == null || !e.getKey().equals(current.getMetadata().getUid());
                boolean unreferenced = !ObjectRef.POD.equals(ref.type()) && !references.referencedBy(ref, node);
                if (gone && !unreferenced) {
                    sends.delete(node, ref, tombstone(ref, e.getKey(), e.getValue().resourceVersion()));
                } else if (gone) {
                    sent.remove(node, e.getKey());
                }
            }
        }
        LOG.info("reconciled {} edge nodes from the informer caches", labelled.size());
    }

    /** The SyncController's delete content for an object whose last state is not at hand. */
    private static HasMetadata tombstone(ObjectRef ref, String uid, String rv) {
        HasMetadata obj = ObjectRef.POD.equals(ref.type()) ? new Pod()
                : ObjectRef.SECRET.equals(ref.type()) ? new Secret() : new ConfigMap();
        obj.setMetadata(new ObjectMetaBuilder().withName(ref.name())
                .withNamespace(ref.namespace()).withUid(uid).withResourceVersion(rv).build());
        return obj;
    }

    static String nodeName(Pod pod) {
        return pod.getSpec() == null || pod.getSpec().getNodeName() == null ? "" : pod.getSpec().getNodeName();
    }

    static ObjectRef ref(String type, HasMetadata obj) {
        return new ObjectRef(type, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    static String key(HasMetadata obj) {
        String ns = obj.getMetadata().getNamespace();
        return ns == null ? obj.getMetadata().getName() : ns + "/" + obj.getMetadata().getName();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
