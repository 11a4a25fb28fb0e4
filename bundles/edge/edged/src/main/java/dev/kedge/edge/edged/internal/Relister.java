package dev.kedge.edge.edged.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;

/**
 * kubelet's PLEG for a runtime without events (containerd 1.6): lists sandboxes and containers every relist period
 * (the tick is on the shared scheduler, the listing on the pod pool), tells which pods' states changed, and keeps
 * the runtime's health (CRI Version and Status) for the node's Ready condition. A node without pods (none desired,
 * none found) is listed every idle period only, with the health asked each time: the listings were most of an idle
 * edge's allocation and a tenth of its CPU, and a pod arriving is listed at once ({@link #relistSoon}).
 */
final class Relister {
    private static final Logger LOG = LoggerFactory.getLogger(Relister.class);
    /** Healthy: the CRI Status is asked every this many relists; unhealthy: every time. */
    static final int STATUS_EVERY = 10;

    interface Listener {
        void podChanged(String uid);

        void relisted(Map<String, RuntimePod> pods);

        void healthChanged(RuntimeHealth health);

        /** Whether any pod is desired on this node (or still being removed). */
        boolean hasPods();
    }

    private final Supplier<ContainerRuntime> runtime;
    private final Supplier<String> nodeName;
    private final SharedScheduler scheduler;
    private final Executor pool;
    private final PodSettings settings;
    private final Listener listener;
    private final AtomicBoolean running = new AtomicBoolean();
    private Map<String, String> fingerprints = new HashMap<>(); // relist task only
    private String version = "";
    private long ticks;
    private volatile RuntimeHealth health = RuntimeHealth.UNKNOWN;
    private volatile boolean listedOnce;
    private volatile boolean foundNone; // the last listing found no pod of this node
    private volatile long listedAtNanos;
    private ScheduledFuture<?> future;

    Relister(Supplier<ContainerRuntime> runtime, Supplier<String> nodeName, SharedScheduler scheduler, Executor pool,
            PodSettings settings, Listener listener) {
        this.runtime = runtime;
        this.nodeName = nodeName;
        this.scheduler = scheduler;
        this.pool = pool;
        this.settings = settings;
        this.listener = listener;
    }

    void start() {
        // the first listing waits a period: the runtime service is bound just after Edged starts
        future = scheduler.scheduleWithFixedDelay("edged relist", this::tick, settings.relistPeriod(),
                settings.relistPeriod());
    }

    void stop() {
        if (future != null) {
            future.cancel(false);
        }
    }

    RuntimeHealth health() {
        return health;
    }

    boolean listedOnce() {
        return listedOnce;
    }

    private void tick() {
        if (idle() && System.nanoTime() - listedAtNanos < settings.relistIdlePeriod().toNanos()) {
            return;
        }
        relistSoon();
    }

    /** Nothing to watch: a ready runtime, no pod found by the last listing and none desired. */
    private boolean idle() {
        return foundNone && health.ready() && !listener.hasPods();
    }

    /** Lists now (on the pool), unless a listing is under way. */
    void relistSoon() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    relist();
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
        }
    }

    void relist() {
        ContainerRuntime rt = runtime.get();
        if (rt == null) {
            version = "";
            setHealth(RuntimeHealth.MISSING);
            return;
        }
        Map<String, RuntimePod> pods;
        try {
            pods = RuntimePod.group(rt.listPodSandboxes(), rt.listContainers(), nodeName.get());
            if (!health.ready() || foundNone || ticks++ % STATUS_EVERY == 0) {
                checkStatus(rt);
            }
        } catch (RuntimeCallException e) {
            version = "";
            setHealth(RuntimeHealth.down("", e.getMessage()));
            return;
        }
        listedAtNanos = System.nanoTime();
        foundNone = pods.isEmpty();
        Map<String, String> now = new HashMap<>();
        pods.forEach((uid, p) -> now.put(uid, p.fingerprint()));
        Map<String, String> before = fingerprints;
        fingerprints = now;
        now.forEach((uid, fp) -> {
            if (!fp.equals(before.get(uid))) {
                listener.podChanged(uid);
            }
        });
        before.keySet().stream().filter(uid -> !now.containsKey(uid)).forEach(listener::podChanged);
        listedOnce = true;
        listener.relisted(pods);
    }

    private void checkStatus(ContainerRuntime rt) {
        if (version.isEmpty()) {
            RuntimeVersion v = rt.version();
            version = v.runtimeName() + "://" + v.runtimeVersion();
        }
        RuntimeStatus s = rt.status();
        if (s.runtimeReady()) {
            setHealth(new RuntimeHealth(version, true, ""));
        } else {
            setHealth(new RuntimeHealth(version, false, "container runtime not ready: RuntimeReady=false reason:"
                    + s.reason() + " message:" + s.message()));
        }
    }

    private void setHealth(RuntimeHealth h) {
        RuntimeHealth old = health;
        health = h;
        if (!h.equals(old)) {
            if (h.ready()) {
                LOG.info("container runtime {} ready", h.version());
            } else {
                LOG.warn("node not ready: {}", h.message());
            }
            listener.healthChanged(h);
        }
    }
}
