package dev.kedge.cloud.controller.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.controller.EdgeNodeInfo;
import dev.kedge.cloud.controller.internal.SentObjects.Sent;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;
import dev.kedge.core.ResourceVersions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Cloud → edge: informers on edge nodes, pods, configmaps and secrets; one worker turns their events into messages to
 * CloudHub, in event order. Informer threads only enqueue (bounded wait); an event that finds no room is dropped and
 * a reconciliation from the informer caches (what exists vs what each node was sent) repairs the gap.
 */
final class Downstream implements AutoCloseable {
    static final String EDGE_LABEL = "node-role.kubernetes.io/edge";
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);
    private static final String BY_NODE = "spec.nodeName";
    private static final Duration START_WAIT = Duration.ofSeconds(5);

    private enum Kind { NODE, POD, CONFIGMAP, SECRET }

    /**
     * RESEND: the node's edge lost its database; send it everything again, whatever its ObjectSyncs say.
     * CONNECTED/DISCONNECTED: the node's edge connected to this replica's CloudHub, or left it.
     */
    private enum Change { ADD, UPDATE, DELETE, RESEND, CONNECTED, DISCONNECTED }

    private record Event(Kind kind, Change change, HasMetadata object) {
    }

    private final KubernetesClient client;
    private final MessageBus bus;
    private final Supplier<ObjectSyncLedger> ledgers;
    private final Settings settings;
    private final NamedCounters counters;
    private final BlockingQueue<Event> events;
    private final KubeJson json;
    private final ReferenceIndex references = new ReferenceIndex();
    private final SentObjects sent = new SentObjects();
    /** Labelled edge nodes connected to this replica: the only ones this replica sends to. */
    private final Set<String> edgeNodes = ConcurrentHashMap.newKeySet();
    /**
     * Nodes connected to this replica's CloudHub. A node served by another replica gets nothing from here: its
     * CloudHub could not deliver it, and when the node comes here, what it lacks is sent from its ObjectSyncs.
     */
    private final Set<String> connected = ConcurrentHashMap.newKeySet();
    /** Nodes whose ObjectSyncs are void (new edge database) until this process ends. */
    private final Set<String> ledgerVoid = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean reconcileWanted = new AtomicBoolean();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean started;
    private Thread worker;
    private Thread starter;
    private SharedIndexInformer<Node> nodeInformer;
    private SharedIndexInformer<Pod> podInformer;
    private SharedIndexInformer<ConfigMap> configMapInformer;
    private SharedIndexInformer<Secret> secretInformer;
    private ObjectSyncLedger awaitedLedger; // worker thread only
    private long lastReconcileNanos = System.nanoTime();

    Downstream(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings,
            NamedCounters counters) {
        this.client = client;
        this.bus = bus;
        this.ledgers = ledgers;
        this.settings = settings;
        this.counters = counters;
        this.events = new ArrayBlockingQueue<>(settings.eventQueueSize());
        this.json = new KubeJson(client.getKubernetesSerialization());
    }

    /** The node's edge registered with a new database: its pods, configmaps and secrets go to it again. */
    void resendEverything(String node) {
        enqueue(new Event(Kind.NODE, Change.RESEND,
                new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()));
    }

    /** CloudHub's link event. The set changes at once; the sending (or forgetting) follows in event order. */
    void linked(String node, boolean up) {
        if (up ? connected.add(node) : connected.remove(node)) {
            enqueue(new Event(Kind.NODE, up ? Change.CONNECTED : Change.DISCONNECTED,
                    new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()));
        }
    }

    ReferenceIndex references() {
        return references;
    }

    /** Starts the worker, then the informers in dependency order on a starter thread (activation does not wait). */
    synchronized void start() {
        running = true;
        configMapInformer = client.configMaps().inAnyNamespace().runnableInformer(0);
        secretInformer = client.secrets().inAnyNamespace().runnableInformer(0);
        nodeInformer = client.nodes().withLabel(EDGE_LABEL).runnableInformer(0);
        podInformer = client.pods().inAnyNamespace().runnableInformer(0);
        podInformer.addIndexers(Map.of(BY_NODE, p -> List.of(nodeName(p))));
        register(configMapInformer, Kind.CONFIGMAP);
        register(secretInformer, Kind.SECRET);
        register(nodeInformer, Kind.NODE);
        register(podInformer, Kind.POD);
        worker = daemon(this::work, "kedge-edgecontroller-downstream");
        starter = daemon(this::startInformers, "kedge-edgecontroller-informers");
    }

    /** True once every informer listed and watches. */
    boolean started() {
        return started;
    }

    @Override
    public synchronized void close() {
        running = false;
        informers.forEach(SharedIndexInformer::stop);
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

    // ---- informer side: enqueue only

    private <T extends HasMetadata> void register(SharedIndexInformer<T> informer, Kind kind) {
        // keep retrying list/watch failures: the API server may be briefly away
        informer.exceptionHandler((isStarted, t) -> {
            LOG.warn("{} informer: {} (retrying)", kind, t.toString());
            return true;
        });
        informer.addEventHandler(new ResourceEventHandler<T>() {
            @Override
            public void onAdd(T obj) {
                enqueue(new Event(kind, Change.ADD, obj));
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                enqueue(new Event(kind, Change.UPDATE, newObj));
            }

            @Override
            public void onDelete(T obj, boolean finalStateUnknown) {
                enqueue(new Event(kind, Change.DELETE, obj));
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
        reconcileWanted.set(true);
        LOG.warn("event queue full ({}): {} {} {} dropped; a reconciliation will resend from the caches",
                settings.eventQueueSize(), event.change(), event.kind(), key(event.object()));
    }

    /** Configmaps and secrets first, then nodes, then pods: a pod's event then finds its node and objects cached. */
    private void startInformers() {
        for (SharedIndexInformer<?> informer : informers) {
            var stage = informer.start().toCompletableFuture();
            while (running) {
                try {
                    stage.get(START_WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException e) {
                    LOG.debug("waiting for the {} informer to sync", informer.getApiTypeClass().getSimpleName());
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException e) {
                    LOG.error("{} informer failed to start: {}", informer.getApiTypeClass().getSimpleName(),
                            e.getCause().toString());
                    return;
                }
            }
        }
        if (running) {
            started = true;
            LOG.info("EdgeController informers synced: {} edge nodes, {} pods, {} configmaps, {} secrets",
                    nodeInformer.getStore().list().size(), podInformer.getStore().list().size(),
                    configMapInformer.getStore().list().size(), secretInformer.getStore().list().size());
        }
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
        HasMetadata obj = e.object();
        switch (e.kind()) {
            case NODE -> {
                String node = obj.getMetadata().getName();
                if (e.change() == Change.DELETE) {
                    nodeLeft(node);
                } else if (e.change() == Change.DISCONNECTED) {
                    nodeDisconnected(node);
                } else if (e.change() == Change.CONNECTED) {
                    if (nodeInformer.getStore().getByKey(node) != null) {
                        nodeJoined(node);
                    } // else: not labelled yet (registering); its informer event joins it
                } else if (e.change() == Change.RESEND) {
                    // CloudHub too remembers what the node acked: it must let these resends through
                    try {
                        bus.send(ModuleNames.CLOUDHUB, Message.create(ModuleNames.EDGECONTROLLER,
                                ModuleNames.ROUTE_RESOURCE, Operations.RESYNC, Resource.cloud(node, "", ResourceTypes.NODE, node),
                                null));
                    } catch (BusException ex) {
                        LOG.warn("CloudHub not told that {} has a new database ({}): objects it acked before may "
                                + "be held back until they change", node, ex.getMessage());
                    }
                    ledgerVoid.add(node);
                    sent.forget(node);
                    edgeNodes.remove(node);
                    nodeJoined(node);
                } else {
                    nodeJoined(node);
                }
            }
            case POD -> {
                Pod pod = (Pod) obj;
                String node = nodeName(pod);
                if (e.change() == Change.DELETE) {
                    references.remove(key(pod));
                    if (edgeNodes.contains(node)) {
                        sendDelete(node, ref(ObjectRef.POD, pod), pod);
                    }
                } else {
                    references.put(key(pod), node, PodReferences.of(pod));
                    if (edgeNodes.contains(node)) {
                        sendPod(node, pod);
                    }
                }
            }
            case CONFIGMAP, SECRET -> {
                ObjectRef ref = ref(e.kind() == Kind.CONFIGMAP ? ObjectRef.CONFIGMAP : ObjectRef.SECRET, obj);
                for (String node : references.nodesFor(ref)) {
                    if (!edgeNodes.contains(node)) {
                        continue;
                    }
                    if (e.change() == Change.DELETE) {
                        sendDelete(node, ref, obj);
                    } else {
                        sendPresent(node, ref, obj);
                    }
                }
            }
        }
    }

    private void nodeJoined(String node) {
        if (!connected.contains(node) || !edgeNodes.add(node)) {
            return;
        }
        List<Pod> pods = podInformer.getIndexer().byIndex(BY_NODE, node);
        LOG.info("edge node {} connected here; sending its {} pods (what its ObjectSyncs do not show acked)", node,
                pods.size());
        for (Pod pod : pods) {
            references.put(key(pod), node, PodReferences.of(pod));
            sendPod(node, pod);
        }
    }

    /** Forget what it was sent: CloudHub dropped its queue, and it may come back through another replica. */
    private void nodeDisconnected(String node) {
        if (edgeNodes.remove(node)) {
            LOG.info("edge node {} left this replica", node);
        }
        sent.forget(node);
    }

    private void nodeLeft(String node) {
        if (edgeNodes.remove(node)) {
            LOG.info("node {} is no edge node any more (deleted or unlabelled)", node);
        }
        sent.forget(node);
    }

    /** The configmaps and secrets the pod references and that exist, then the pod. */
    private void sendPod(String node, Pod pod) {
        for (ObjectRef ref : PodReferences.of(pod)) {
            HasMetadata obj = cached(ref);
            if (obj != null) {
                sendPresent(node, ref, obj);
            }
        }
        sendPresent(node, ref(ObjectRef.POD, pod), pod);
    }

    /** Insert (first time) or update; a version the node was already sent, or acked before a restart, is skipped. */
    private void sendPresent(String node, ObjectRef ref, HasMetadata obj) {
        String uid = obj.getMetadata().getUid();
        String rv = obj.getMetadata().getResourceVersion();
        Sent previous = sent.get(node, uid);
        if (previous != null && !ResourceVersions.newerOrDifferent(rv, previous.resourceVersion())) {
            counters.increment("downstream.unchanged");
            return;
        }
        if (previous == null && ackedAlready(node, uid, rv)) {
            sent.put(node, uid, new Sent(ref, rv));
            counters.increment("downstream.skippedByLedger");
            return;
        }
        String op = previous == null ? Operations.INSERT : Operations.UPDATE;
        if (send(node, op, ref, json.tree(obj), rv)) {
            sent.put(node, uid, new Sent(ref, rv));
        }
    }

    private void sendDelete(String node, ObjectRef ref, HasMetadata obj) {
        if (send(node, Operations.DELETE, ref, json.tree(obj),
                obj.getMetadata().getResourceVersion())) {
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
            reconcileWanted.set(true);
            LOG.error("{} {} for node {} not handed to CloudHub ({}); a reconciliation will retry", op, ref.key(),
                    node, e.getMessage());
            return false;
        }
    }

    /** With a ledger: the node acked this object at {@code rv} or later (waits once per ledger for its sync). */
    private boolean ackedAlready(String node, String uid, String rv) {
        ObjectSyncLedger ledger = ledgers.get();
        if (ledger == null || ledgerVoid.contains(node)) {
            return false;
        }
        try {
            if (ledger != awaitedLedger) {
                awaitedLedger = ledger;
                if (!ledger.awaitSynced(settings.ledgerWait())) {
                    LOG.warn("ObjectSync ledger not synced after {}: sending without it where it knows nothing",
                            settings.ledgerWait());
                }
            }
            String acked = ledger.ackedVersion(node, uid);
            return acked != null && !acked.isEmpty() && !ResourceVersions.newerOrDifferent(rv, acked);
        } catch (RuntimeException e) {
            LOG.warn("ObjectSync ledger failed ({}): sending {} to {}", e.toString(), uid, node);
            return false;
        }
    }

    private static String safeAckedVersion(ObjectSyncLedger ledger, String node, String uid) {
        try {
            String v = ledger.ackedVersion(node, uid);
            return v == null ? "" : v;
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** After lost events or failed sends: current cache state vs what each node was sent. */
    private void reconcile() {
        counters.increment("downstream.reconciliations");
        Set<String> labelled = new HashSet<>();
        nodeInformer.getStore().list().forEach(n -> labelled.add(n.getMetadata().getName()));
        for (String node : Set.copyOf(edgeNodes)) {
            if (!labelled.contains(node)) {
                nodeLeft(node);
            } else if (!connected.contains(node)) {
                nodeDisconnected(node);
            }
        }
        for (String node : labelled) {
            if (!connected.contains(node)) {
                continue;
            }
            if (!edgeNodes.contains(node)) {
                nodeJoined(node);
                continue;
            }
            for (Pod pod : podInformer.getIndexer().byIndex(BY_NODE, node)) {
                references.put(key(pod), node, PodReferences.of(pod));
                sendPod(node, pod);
            }
        }
        for (String node : sent.nodes()) {
            for (Map.Entry<String, Sent> e : sent.of(node).entrySet()) {
                ObjectRef ref = e.getValue().ref();
                HasMetadata current = cached(ref);
                boolean gone = current == null || !e.getKey().equals(current.getMetadata().getUid());
                boolean unreferenced = !ObjectRef.POD.equals(ref.type()) && !references.referencedBy(ref, node);
                if (gone && !unreferenced) {
                    sendDelete(node, ref, tombstone(ref, e.getKey(), e.getValue().resourceVersion()));
                } else if (gone) {
                    sent.remove(node, e.getKey());
                }
            }
        }
        LOG.info("reconciled {} edge nodes from the informer caches", labelled.size());
    }

    private HasMetadata cached(ObjectRef ref) {
        return switch (ref.type()) {
            case ObjectRef.CONFIGMAP -> configMapInformer.getStore().getByKey(ref.key());
            case ObjectRef.SECRET -> secretInformer.getStore().getByKey(ref.key());
            case ObjectRef.POD -> podInformer.getStore().getByKey(ref.key());
            default -> null;
        };
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

    private static ObjectRef ref(String type, HasMetadata obj) {
        return new ObjectRef(type, obj.getMetadata().getNamespace(), obj.getMetadata().getName());
    }

    private static String key(HasMetadata obj) {
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
