package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Operations;
import dev.kedge.core.ResourceTypes;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.json.Json;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.edged.EdgedPodInfo;

/**
 * The pod half of edged (kubelet's pod manager, PLEG and pod workers): desired pods from MetaManager (the committed
 * cloud messages, and all pods from {@code meta} at start), actual state from the runtime's relist, one serialized
 * worker per pod on a small pool ({@code kedge-edged-pods}, shared workers only while they run). Pods of the runtime
 * that {@code meta} does not have are removed once the start-up list is in; the rest are adopted as they are.
 */
final class PodManager implements Relister.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(PodManager.class);
    static final Duration GC_PERIOD = Duration.ofMinutes(1);

    private final EdgedSettings settings;
    private final Clock clock;
    private final Supplier<String> nodeName;
    private final Consumer<RuntimeHealth> healthListener;
    private final MetaObjectSource objects;
    private final Lane pool;
    private final PodSyncContext ctx;
    private final PodWorkers workers;
    private final ProbeManager probes;
    private final PodSyncer syncer;
    private final Relister relister;
    private final RuntimeGc gc;
    private final Map<String, PodState> states = new ConcurrentHashMap<>();
    private final Map<String, String> uidByKey = new ConcurrentHashMap<>();
    private volatile ContainerRuntime runtime;
    private volatile PodSpecs specs;
    private volatile boolean listed;
    private volatile boolean stopped;
    private Instant lastGc = Instant.EPOCH;
    private final MetaPodList metaList;
    final LongAdder ignored = new LongAdder();

    /** {@code specsFactory} makes the spec translation for a runtime (tests pass their own). */
    PodManager(MessageBus bus, EdgedSettings settings, SharedScheduler scheduler, Clock clock,
            Supplier<String> nodeName, Supplier<String> hostIP, Consumer<RuntimeHealth> healthListener,
            SpecsFactory specsFactory) {
        this.settings = settings;
        this.clock = clock;
        this.nodeName = nodeName;
        this.healthListener = healthListener;
        this.specsFactory = specsFactory;
        this.objects = new MetaObjectSource(bus, settings.syncTimeout());
        PodSettings ps = settings.pods();
        // an idle worker takes the next task before another starts: a relist or a probe now and then keeps one
        this.pool = DaemonThreads.onDemand("edged-pods", ps.workers(), 1024);
        this.ctx = new PodSyncContext(ps, clock, new CrashBackoff(clock), new PodStatusReporter(bus), nodeName,
                hostIP);
        this.workers = new PodWorkers(pool, scheduler, this::syncPod);
        this.probes = new ProbeManager(scheduler, pool, this::probe, workers::trigger);
        ctx.workers = workers;
        ctx.probes = probes;
        this.syncer = new PodSyncer(ctx, new PodTerminator(ctx));
        this.relister = new Relister(() -> runtime, nodeName, scheduler, pool, ps, this);
        this.gc = new RuntimeGc(ps);
        this.metaList = new MetaPodList(bus, scheduler, pool, clock, settings.syncTimeout(), this::taken);
    }

    /** Until {@code settled} says so (at most 10 s), the start-up list waits: it filters pods by node name. */
    void nodeNameSettledWhen(java.util.function.BooleanSupplier settled) {
        metaList.nodeNameSettledWhen(settled);
    }

    /** Makes the {@link PodSpecs} for a runtime. */
    interface SpecsFactory {
        PodSpecs create(ContainerRuntime runtime, MetaObjectSource objects);
    }

    private final SpecsFactory specsFactory;

    void start() {
        relister.start();
        metaList.start();
    }

    void stop() throws InterruptedException {
        stopped = true;
        metaList.stop();
        relister.stop();
        workers.stop();
        probes.stopAll();
        pool.shutdownNow();
        if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
            LOG.warn("pod workers did not stop within 5 s");
        }
    }

    void runtimeChanged(ContainerRuntime rt) {
        specs = rt == null ? null : specsFactory.create(rt, objects);
        runtime = rt;
        relister.relistSoon();
        if (rt != null) {
            states.keySet().forEach(workers::trigger);
        }
    }

    RuntimeHealth health() {
        return runtime == null ? RuntimeHealth.MISSING : relister.health();
    }

    /** Whether the runtime's events drive the listings (else they run every relist period). */
    boolean evented() {
        return relister.evented();
    }

    // ---- desired state

    /** A committed cloud message from MetaManager; false when it is not about pods or their objects. */
    boolean receive(Message m) {
        String[] r = m.resource().split("/");
        if (r.length != 3) {
            return false;
        }
        String op = m.operation();
        boolean write = Operations.INSERT.equals(op) || Operations.UPDATE.equals(op) || Operations.PATCH.equals(op);
        switch (r[1]) {
            case ResourceTypes.POD -> {
                if (write) {
                    JsonNode pod = PodMessages.tree(m);
                    if (pod == null || !pod.isObject()) {
                        ignored.increment();
                        LOG.error("pod message {} {} without a pod object; ignored", op, m.resource());
                        return true;
                    }
                    upsert(pod);
                } else if (Operations.DELETE.equals(op)) {
                    deleted(r[0] + "/" + r[2], PodMessages.deletedUid(m));
                } else {
                    return false;
                }
                return true;
            }
            case ResourceTypes.CONFIGMAP, ResourceTypes.SECRET -> {
                if (write) {
                    objectChanged(r[0], r[2]);
                    return true;
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private void upsert(JsonNode pod) {
        String uid = PodJson.uid(pod);
        String node = PodJson.nodeName(pod);
        if (uid.isEmpty() || !node.equals(nodeName.get())) {
            ignored.increment();
            LOG.debug("pod {}/{} is not for node {} (spec.nodeName '{}'); ignored", PodJson.namespace(pod),
                    PodJson.name(pod), nodeName.get(), node);
            return;
        }
        String key = PodJson.namespace(pod) + "/" + PodJson.name(pod);
        String previous = uidByKey.put(key, uid);
        if (previous != null && !previous.equals(uid)) {
            PodState old = states.get(previous);
            if (old != null) {
                old.pod = null; // recreated under the same name: the old one goes
                workers.trigger(previous);
            }
        }
        PodState st = states.computeIfAbsent(uid, PodState::new);
        st.key = key;
        st.pod = pod;
        if (st.view == null) {
            st.view = new EdgedPodInfo(PodJson.namespace(pod), PodJson.name(pod), uid, "Pending", 0,
                    PodJson.containers(pod).size(), 0, "", null);
        }
        workers.trigger(uid);
    }

    private void deleted(String key, String uid) {
        String u = uid.isEmpty() ? uidByKey.getOrDefault(key, "") : uid;
        PodState st = states.get(u);
        if (st == null) {
            return;
        }
        st.pod = null;
        uidByKey.remove(key, u);
        workers.trigger(u);
    }

    private void objectChanged(String namespace, String name) {
        String quoted = "\"" + name + "\"";
        for (PodState st : states.values()) {
            JsonNode pod = st.pod;
            if (pod != null && PodJson.namespace(pod).equals(namespace)
                    && Json.write(pod.path("spec")).contains(quoted)) {
                PodSyncer.refreshVolumes(st);
                workers.trigger(st.uid);
            }
        }
    }

    /** The start-up list: pods not already known from a message are taken on; orphans may go from now on. */
    private void taken(List<JsonNode> stored) {
        int n = 0;
        for (JsonNode pod : stored) {
            if (!states.containsKey(PodJson.uid(pod))) {
                upsert(pod);
                n++;
            }
        }
        listed = true;
        LOG.info("{} pods from meta taken on", n);
        removeStaleVolumes();
        relister.relistSoon();
    }

    /** Volume directories of pods that ended while Edged was away (their containers, if any, go as orphans). */
    private void removeStaleVolumes() {
        PodSpecs sp = specs;
        java.nio.file.Path dir = settings.pods().podsDirectory();
        if (sp == null || !java.nio.file.Files.isDirectory(dir)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> dirs = java.nio.file.Files.list(dir)) {
            dirs.map(p -> p.getFileName().toString()).filter(uid -> !states.containsKey(uid)).forEach(uid -> {
                LOG.info("volumes of pod {} (gone from meta) removed", uid);
                sp.tearDown(uid);
            });
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("stale pod directories in {} not cleaned: {}", dir, e.toString());
        }
    }

    // ---- actual state (relist)

    @Override
    public void podChanged(String uid) {
        if (states.containsKey(uid)) {
            workers.trigger(uid);
        }
    }

    @Override
    public void relisted(Map<String, RuntimePod> pods) {
        if (!listed) {
            return; // adoption first: nothing is an orphan before meta's pods are known
        }
        for (RuntimePod p : pods.values()) {
            if (!states.containsKey(p.uid())) {
                PodState orphan = new PodState(p.uid());
                orphan.key = p.label(CriLabels.POD_NAMESPACE) + "/" + p.label(CriLabels.POD_NAME);
                if (states.putIfAbsent(p.uid(), orphan) == null) {
                    LOG.info("pod {} ({}) is in the runtime but not in meta: removing it", orphan.key, p.uid());
                    workers.trigger(p.uid());
                }
            }
        }
        Instant now = clock.instant();
        ContainerRuntime rt = runtime;
        if (rt != null && !now.isBefore(lastGc.plus(GC_PERIOD))) {
            lastGc = now;
            states.keySet().forEach(workers::trigger); // kubelet's periodic resync: volumes refresh, missed events
            Map<String, String> current = new HashMap<>();
            states.forEach((uid, st) -> current.put(uid, st.sandboxId));
            gc.collect(rt, pods, uid -> states.containsKey(uid) && !workers.busy(uid), current);
        }
    }

    @Override
    public boolean hasPods() {
        return !states.isEmpty();
    }

    @Override
    public void healthChanged(RuntimeHealth health) {
        healthListener.accept(health);
        if (health.ready()) {
            states.keySet().forEach(workers::trigger);
        }
    }

    private dev.kedge.edge.edged.internal.spec.ProbeResult probe(JsonNode probe, JsonNode container,
            String containerId, String podIP) {
        PodSpecs s = specs;
        if (s == null) {
            return new dev.kedge.edge.edged.internal.spec.ProbeResult(false, "no container runtime");
        }
        return s.probe(probe, container, containerId, podIP);
    }

    /** One pod's sync, on its worker. */
    private void syncPod(String uid) {
        PodState st = states.get(uid);
        ContainerRuntime rt = runtime;
        PodSpecs sp = specs;
        if (st == null || rt == null || sp == null) {
            return; // the runtime's return triggers every pod
        }
        syncer.sync(st, rt, sp);
        if (st.pod == null && st.terminated) {
            states.remove(uid, st);
            if (st.key != null) {
                uidByKey.remove(st.key, uid);
            }
            workers.forget(uid);
        }
    }

    // ---- link, views

    /** The cloud is back: what it may have missed is sent again. */
    void linkChanged(boolean up) {
        if (!up) {
            return;
        }
        for (PodState st : states.values()) {
            JsonNode pod = st.pod;
            if (pod == null) {
                continue;
            }
            if (st.deleteConfirmed) {
                ctx.reporter.confirmDelete(PodJson.namespace(pod), PodJson.name(pod), st.uid);
            } else {
                ctx.reporter.resend(st, PodJson.namespace(pod), PodJson.name(pod));
            }
        }
    }

    List<EdgedPodInfo> pods() {
        List<EdgedPodInfo> out = new ArrayList<>();
        for (PodState st : states.values()) {
            EdgedPodInfo v = st.view;
            JsonNode pod = st.pod;
            if (v == null) {
                continue;
            }
            if (pod == null || PodJson.deleting(pod)) {
                v = new EdgedPodInfo(v.namespace(), v.name(), v.uid(), "Terminating", v.ready(), v.containers(),
                        v.restarts(), v.podIP(), v.startTime());
            }
            out.add(v);
        }
        out.sort(Comparator.comparing(EdgedPodInfo::namespace).thenComparing(EdgedPodInfo::name));
        return out;
    }

    List<String> logs(String namespace, String name, String container, int lines) {
        String uid = uidByKey.get(namespace + "/" + name);
        PodState st = uid == null ? null : states.get(uid);
        JsonNode pod = st == null ? null : st.pod;
        if (pod == null) {
            throw new IllegalArgumentException("no pod " + namespace + "/" + name + " on this node");
        }
        ContainerRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalArgumentException("no container runtime");
        }
        return ContainerLogs.tail(rt, syncer.fetch(rt, uid), pod, container, lines);
    }

    long statusSent() {
        return ctx.reporter.sent.sum();
    }

    boolean listed() {
        return listed;
    }
}
