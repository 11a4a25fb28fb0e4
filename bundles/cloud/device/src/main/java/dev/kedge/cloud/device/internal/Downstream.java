package dev.kedge.cloud.device.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
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
import dev.kedge.core.BusException;
import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.ResourceVersions;
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
 */
final class Downstream implements AutoCloseable {
    static final String EDGE_LABEL = "node-role.kubernetes.io/edge";
    private static final Logger LOG = LoggerFactory.getLogger(Downstream.class);
    private static final Duration START_WAIT = Duration.ofSeconds(5);
    private static final Duration CRD_RETRY = Duration.ofSeconds(5);
    private static final int MAX_PENDING_REMOVALS = 10_000;
    private static final String MODEL_MISSING = "DeviceModel ";

    private enum Kind { DEVICE, MODEL, NODE, RECONNECTED, DETAIL }

    private enum Change { ADD, UPDATE, DELETE }

    private record Event(Kind kind, Change change, HasMetadata object, String node) {
    }

    private final KubernetesClient client;
    private final MessageBus bus;
    private final Supplier<ObjectSyncLedger> ledgers;
    private final Settings settings;
    private final NamedCounters counters;
    private final BlockingQueue<Event> events;
    private final ThreadFactory threads = DaemonThreads.factory("devicecontroller-downstream");
    private final AtomicBoolean resyncWanted = new AtomicBoolean();
    /** Latest spec of every Device, valid or not. */
    private final Map<String, DeviceSpec> devices = new ConcurrentHashMap<>();
    /** Device key → the node it is announced to. */
    private final Map<String, String> bound = new ConcurrentHashMap<>();
    /** Device key → why it is not sent. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Set<String> edgeNodes = ConcurrentHashMap.newKeySet();
    // worker thread only
    private final Map<String, JsonNode> models = new HashMap<>();
    private final Map<String, Map<String, DeviceSpec.Desired>> sentDesired = new HashMap<>();
    private final Map<String, Map<String, String>> sentVersions = new HashMap<>();
    private final Map<String, Set<DeviceSpec>> pendingRemovals = new HashMap<>();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    private ObjectSyncLedger awaitedLedger;
    private volatile DeviceCrds.Served served;
    private volatile boolean running;
    private volatile boolean started;
    private Thread worker;
    private SharedIndexInformer<GenericKubernetesResource> deviceInformer;
    private SharedIndexInformer<GenericKubernetesResource> modelInformer;

    Downstream(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings,
            NamedCounters counters) {
        this.client = client;
        this.bus = bus;
        this.ledgers = ledgers;
        this.settings = settings;
        this.counters = counters;
        this.events = new ArrayBlockingQueue<>(settings.eventQueueSize());
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
        return devices.get(key);
    }

    String boundNode(String key) {
        return bound.get(key);
    }

    String problem(String key) {
        return problems.getOrDefault(key, "");
    }

    Map<String, DeviceSpec> devices() {
        return devices;
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
        LOG.info("DeviceController informers synced: {} edge nodes, {} device models, {} devices",
                edgeNodes.size(), models.size(), devices.size());
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
            case NODE -> nodeEvent(e.object().getMetadata().getName(), e.change() != Change.DELETE);
            case MODEL -> {
                JsonNode tree = tree(e.object());
                if (e.change() == Change.DELETE) {
                    modelDeleted(tree);
                } else {
                    modelChanged(tree);
                }
            }
            case DEVICE -> {
                DeviceSpec spec = DeviceSpec.of(tree(e.object()));
                if (e.change() == Change.DELETE) {
                    deviceDeleted(spec);
                } else {
                    deviceChanged(spec);
                }
            }
            case RECONNECTED -> resendMembership(e.node());
            case DETAIL -> send(e.node(), Frames.membershipDetail(e.node(), boundTo(e.node())), "membershipDetail");
        }
    }

    private void nodeEvent(String node, boolean present) {
        boolean changed = present ? edgeNodes.add(node) : edgeNodes.remove(node);
        if (changed) {
            LOG.info("edge node {} {}", node, present ? "known" : "gone");
            devices.values().stream().filter(d -> d.nodeName().equals(node)).toList().forEach(this::deviceChanged);
        }
    }

    private void modelChanged(JsonNode model) {
        String key = key(model);
        models.put(key, model);
        Set<String> nodes = new HashSet<>();
        bound.forEach((deviceKey, node) -> {
            DeviceSpec d = devices.get(deviceKey);
            if (d != null && d.modelKey().equals(key)) {
                nodes.add(node);
            }
        });
        nodes.forEach(node -> sendObject(node, Operations.UPDATE, Frames.MODEL, model));
        // devices that waited for this model
        devices.values().stream().filter(d -> d.modelKey().equals(key) && problems.containsKey(d.key())).toList()
                .forEach(this::deviceChanged);
    }

    private void modelDeleted(JsonNode model) {
        // like KubeEdge: devices keep what their edge has; new bindings of this model are refused until it returns
        models.remove(key(model));
        counters.increment("downstream.modelsDeleted");
    }

    private void deviceChanged(DeviceSpec spec) {
        String key = spec.key();
        DeviceSpec previous = devices.put(key, spec);
        String problem = check(spec);
        if (problem.isEmpty()) {
            problems.remove(key);
        } else if (!problem.equals(problems.put(key, problem))) {
            if (problem.startsWith(MODEL_MISSING)) {
                // often transient: a model and its devices applied together reach us through two watches
                counters.increment("device.waitingForModel");
                LOG.warn("Device {} not sent yet: {}", key, problem);
            } else {
                counters.increment("device.invalid");
                LOG.error("Device {} not sent to any edge node: {}", key, problem);
            }
        }
        String target = problem.isEmpty() && !spec.nodeName().isEmpty() ? spec.nodeName() : null;
        String old = bound.get(key);
        if (old != null && !old.equals(target)) {
            unbind(previous == null ? spec : previous, old);
        }
        if (target == null) {
            return;
        }
        if (!target.equals(old)) {
            bind(spec, target);
        } else if (previous == null || !spec.sameSpec(previous)) {
            updateBound(spec, previous, target);
        }
    }

    private void deviceDeleted(DeviceSpec spec) {
        String key = spec.key();
        DeviceSpec last = devices.remove(key);
        problems.remove(key);
        String node = bound.get(key);
        if (node != null) {
            unbind(last == null ? spec : last, node);
        }
        counters.increment("downstream.devicesDeleted");
    }

    /** "" when the device can go to its node: the spec is sound, its model exists, its node is an edge node. */
    private String check(DeviceSpec spec) {
        if (!spec.problem().isEmpty()) {
            return spec.problem();
        }
        if (!spec.nodeName().isEmpty() && !edgeNodes.contains(spec.nodeName())) {
            return "node " + spec.nodeName() + " is not an edge node (label " + EDGE_LABEL + ")";
        }
        JsonNode model = models.get(spec.modelKey());
        if (model == null) {
            return MODEL_MISSING + spec.modelKey() + " not found";
        }
        Set<String> modelProps = new HashSet<>();
        model.path("spec").path("properties").forEach(p -> modelProps.add(p.path("name").asText("")));
        List<String> unknown = spec.properties().stream().filter(p -> !modelProps.contains(p)).toList();
        if (!unknown.isEmpty()) {
            return "properties " + unknown + " not in DeviceModel " + spec.modelKey();
        }
        return "";
    }

    private void bind(DeviceSpec spec, String node) {
        bound.put(spec.key(), node);
        Set<DeviceSpec> removals = pendingRemovals.get(node);
        if (removals != null) {
            removals.removeIf(d -> d.key().equals(spec.key()));
        }
        send(node, Frames.membership(node, List.of(spec), List.of()), Frames.MEMBERSHIP);
        sendObject(node, Operations.INSERT, Frames.MODEL, models.get(spec.modelKey()));
        sendObject(node, Operations.INSERT, Frames.DEVICE, spec.object());
        sendDesired(spec, Map.of(), node);
        LOG.info("Device {} bound to edge node {}", spec.key(), node);
    }

    private void updateBound(DeviceSpec spec, DeviceSpec previous, String node) {
        if (previous != null && !previous.modelKey().equals(spec.modelKey())) {
            sendObject(node, Operations.INSERT, Frames.MODEL, models.get(spec.modelKey()));
            dropModelIfUnused(node, previous);
        }
        sendObject(node, Operations.UPDATE, Frames.DEVICE, spec.object());
        sendDesired(spec, sentDesired.getOrDefault(spec.key(), Map.of()), node);
    }

    private void unbind(DeviceSpec spec, String node) {
        bound.remove(spec.key());
        Set<DeviceSpec> removals = pendingRemovals.computeIfAbsent(node, n -> new LinkedHashSet<>());
        if (removals.size() < MAX_PENDING_REMOVALS) {
            removals.add(spec);
        }
        send(node, Frames.membership(node, List.of(), List.of(spec)), Frames.MEMBERSHIP);
        sendObject(node, Operations.DELETE, Frames.DEVICE, spec.object());
        dropModelIfUnused(node, spec);
        sentDesired.remove(spec.key());
        LOG.info("Device {} removed from edge node {}", spec.key(), node);
    }

    private void dropModelIfUnused(String node, DeviceSpec gone) {
        boolean used = bound.entrySet().stream().anyMatch(e -> e.getValue().equals(node)
                && devices.containsKey(e.getKey()) && devices.get(e.getKey()).modelKey().equals(gone.modelKey()));
        JsonNode model = models.get(gone.modelKey());
        if (!used && model != null) {
            sendObject(node, Operations.DELETE, Frames.MODEL, model);
        }
    }

    private void sendDesired(DeviceSpec spec, Map<String, DeviceSpec.Desired> before, String node) {
        if (!settings.twinCloudUpdates() || spec.desired().equals(before)) {
            return;
        }
        Map<String, String> types = new HashMap<>();
        JsonNode model = models.get(spec.modelKey());
        if (model != null) {
            model.path("spec").path("properties").forEach(p -> types.put(p.path("name").asText(""),
                    p.path("type").asText("string").toLowerCase(Locale.ROOT)));
        }
        if (send(node, Frames.twinCloudUpdate(node, spec, before, types, System.currentTimeMillis()), "twin")) {
            sentDesired.put(spec.key(), spec.desired());
        }
    }

    /**
     * The node connected to this replica: membership again, and its models and devices from the ObjectSyncs' point
     * of view (what this replica sent before is void: CloudHub dropped the queue, or another replica served it).
     */
    private void resendMembership(String node) {
        List<DeviceSpec> members = boundTo(node);
        sentVersions.remove(node);
        for (DeviceSpec d : members) {
            sendObject(node, Operations.INSERT, Frames.MODEL, models.get(d.modelKey()));
            sendObject(node, Operations.INSERT, Frames.DEVICE, d.object());
        }
        Set<DeviceSpec> removals = pendingRemovals.remove(node);
        if (members.isEmpty() && (removals == null || removals.isEmpty())) {
            return;
        }
        send(node, Frames.membership(node, members, removals == null ? List.of() : removals), Frames.MEMBERSHIP);
        for (DeviceSpec d : members) {
            if (settings.twinCloudUpdates() && !d.desired().isEmpty()) {
                sentDesired.remove(d.key());
                sendDesired(d, Map.of(), node);
            }
        }
        counters.increment("downstream.membershipResent");
    }

    private List<DeviceSpec> boundTo(String node) {
        List<DeviceSpec> members = new ArrayList<>();
        bound.forEach((k, n) -> {
            DeviceSpec d = devices.get(k);
            if (n.equals(node) && d != null) {
                members.add(d);
            }
        });
        return members;
    }

    /** Insert/update skip what the node was sent, or acked before a restart, at this version or later. */
    private void sendObject(String node, String op, String type, JsonNode obj) {
        if (obj == null) {
            return;
        }
        String uid = obj.path("metadata").path("uid").asText("");
        String rv = obj.path("metadata").path("resourceVersion").asText("");
        Map<String, String> sent = sentVersions.computeIfAbsent(node, n -> new HashMap<>());
        if (Operations.DELETE.equals(op)) {
            if (send(node, Frames.object(node, op, type, obj), op + "." + type)) {
                sent.remove(uid);
            }
            return;
        }
        String previous = sent.get(uid);
        if (previous != null && !ResourceVersions.newerOrDifferent(rv, previous)) {
            counters.increment("downstream.unchanged");
            return;
        }
        if (previous == null && ackedAlready(node, uid, rv)) {
            sent.put(uid, rv);
            counters.increment("downstream.skippedByLedger");
            return;
        }
        String actual = previous == null ? Operations.INSERT : Operations.UPDATE;
        if (send(node, Frames.object(node, actual, type, obj), actual + "." + type)) {
            sent.put(uid, rv);
        }
    }

    private boolean send(String node, Message m, String what) {
        try {
            bus.send(ModuleNames.CLOUDHUB, m);
            counters.increment("downstream." + what);
            return true;
        } catch (BusException e) {
            counters.increment("downstream.sendFailed");
            resyncWanted.set(true);
            LOG.error("{} for node {} not handed to CloudHub ({}); a resync will retry", what, node, e.getMessage());
            return false;
        }
    }

    private boolean ackedAlready(String node, String uid, String rv) {
        ObjectSyncLedger ledger = ledgers.get();
        if (ledger == null) {
            return false;
        }
        try {
            if (ledger != awaitedLedger) {
                awaitedLedger = ledger;
                if (!ledger.awaitSynced(settings.ledgerWait())) {
                    LOG.warn("ObjectSync ledger not synced after {}: sending without it", settings.ledgerWait());
                }
            }
            String acked = ledger.ackedVersion(node, uid);
            return acked != null && !acked.isEmpty() && !ResourceVersions.newerOrDifferent(rv, acked);
        } catch (RuntimeException e) {
            LOG.warn("ObjectSync ledger failed ({}): sending {} to {}", e.toString(), uid, node);
            return false;
        }
    }

    /** After lost events or failed sends: everything again from the informer caches (sends skip the unchanged). */
    private void resync() {
        counters.increment("downstream.resyncs");
        Set<String> present = new HashSet<>();
        modelInformer.getStore().list().forEach(m -> modelChanged(tree(m)));
        for (GenericKubernetesResource d : deviceInformer.getStore().list()) {
            DeviceSpec spec = DeviceSpec.of(tree(d));
            present.add(spec.key());
            devices.remove(spec.key()); // forces the comparison with what was bound
            deviceChanged(spec);
        }
        devices.values().stream().filter(d -> !present.contains(d.key())).toList().forEach(this::deviceDeleted);
        LOG.info("resynced {} devices from the informer caches", present.size());
    }

    private JsonNode tree(Object obj) {
        return client.getKubernetesSerialization().convertValue(obj, JsonNode.class);
    }

    private static String key(JsonNode obj) {
        return obj.path("metadata").path("namespace").asText("") + "/" + obj.path("metadata").path("name").asText("");
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
