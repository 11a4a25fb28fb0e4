package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.edged.internal.spec.ProbeResult;

/**
 * kubelet's prober manager: per running container, a liveness, readiness and startup worker ticking on the shared
 * scheduler every {@code periodSeconds} after {@code initialDelaySeconds}; each probe runs on the pod pool (never on
 * the scheduler, never in the pod's sync), at most one at a time per worker. A result that flips after
 * failureThreshold / successThreshold tells the pod's worker to sync (liveness → restart, readiness → Ready).
 */
final class ProbeManager implements PodStatusBuilder.ProbeView {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeManager.class);
    static final String LIVENESS = "livenessProbe";
    static final String READINESS = "readinessProbe";
    static final String STARTUP = "startupProbe";

    /** Runs one probe (PodSpecs#probe with the runtime of the moment). */
    interface Runner {
        ProbeResult probe(JsonNode probe, JsonNode container, String containerId, String podIP);
    }

    private final SharedScheduler scheduler;
    private final Executor pool;
    private final Runner runner;
    private final Consumer<String> changed;
    private final Map<String, ContainerProbes> byContainer = new ConcurrentHashMap<>();

    ProbeManager(SharedScheduler scheduler, Executor pool, Runner runner, Consumer<String> changed) {
        this.scheduler = scheduler;
        this.pool = pool;
        this.runner = runner;
        this.changed = changed;
    }

    /** Starts the probes of a running container, once. */
    void ensure(String uid, String containerId, JsonNode container, String podIP) {
        byContainer.computeIfAbsent(containerId, id -> new ContainerProbes(uid, id, container, podIP));
    }

    /** Stops the probes of the pod's containers not in {@code running}. */
    void retain(String uid, Set<String> running) {
        byContainer.values().removeIf(p -> {
            if (p.uid.equals(uid) && !running.contains(p.id)) {
                p.stop();
                return true;
            }
            return false;
        });
    }

    void forgetPod(String uid) {
        retain(uid, Set.of());
    }

    void stopAll() {
        byContainer.values().forEach(ContainerProbes::stop);
        byContainer.clear();
    }

    @Override
    public boolean ready(String containerId, JsonNode container) {
        ContainerProbes p = byContainer.get(containerId);
        if (p == null) {
            return !PodJson.probe(container, READINESS).isObject() && !PodJson.probe(container, STARTUP).isObject();
        }
        return p.started() && (p.readiness == null || p.readiness.result);
    }

    @Override
    public boolean started(String containerId, JsonNode container) {
        ContainerProbes p = byContainer.get(containerId);
        return p == null ? !PodJson.probe(container, STARTUP).isObject() : p.started();
    }

    /** Liveness or startup probe failed: kubelet kills the container. */
    String killReason(String containerId) {
        ContainerProbes p = byContainer.get(containerId);
        if (p == null) {
            return null;
        }
        if (p.startup != null && p.startup.failedOut) {
            return "Startup probe failed: " + p.startup.message;
        }
        if (p.liveness != null && !p.liveness.result) {
            return "Liveness probe failed: " + p.liveness.message;
        }
        return null;
    }

    private final class ContainerProbes {
        final String uid;
        final String id;
        final Worker liveness;
        final Worker readiness;
        final Worker startup;

        ContainerProbes(String uid, String id, JsonNode container, String podIP) {
            this.uid = uid;
            this.id = id;
            this.startup = worker(container, STARTUP, podIP, false);
            this.liveness = worker(container, LIVENESS, podIP, true);
            this.readiness = worker(container, READINESS, podIP, false);
        }

        private Worker worker(JsonNode container, String kind, String podIP, boolean initial) {
            JsonNode probe = PodJson.probe(container, kind);
            return probe.isObject() ? new Worker(this, kind, probe, container, podIP, initial) : null;
        }

        boolean started() {
            return startup == null || startup.result;
        }

        void stop() {
            for (Worker w : new Worker[] {liveness, readiness, startup}) {
                if (w != null) {
                    w.cancel();
                }
            }
        }
    }

    private final class Worker {
        final ContainerProbes owner;
        final String kind;
        final JsonNode probe;
        final JsonNode container;
        final String podIP;
        final int successThreshold;
        final int failureThreshold;
        final ScheduledFuture<?> tick;
        final AtomicBoolean inFlight = new AtomicBoolean();
        volatile boolean result;
        volatile boolean failedOut;
        volatile String message = "";
        int successes;
        int failures;
        volatile boolean cancelled;

        Worker(ContainerProbes owner, String kind, JsonNode probe, JsonNode container, String podIP, boolean initial) {
            this.owner = owner;
            this.kind = kind;
            this.probe = probe;
            this.container = container;
            this.podIP = podIP;
            this.result = initial;
            this.successThreshold = Math.max(1, probe.path("successThreshold").asInt(1));
            this.failureThreshold = Math.max(1, probe.path("failureThreshold").asInt(3));
            long period = Math.max(1, probe.path("periodSeconds").asLong(10));
            long delay = Math.max(0, probe.path("initialDelaySeconds").asLong(0));
            this.tick = scheduler.scheduleWithFixedDelay("edged probe " + kind + " " + owner.id, this::tick,
                    Duration.ofSeconds(delay), Duration.ofSeconds(period));
        }

        void tick() {
            if (cancelled || (!STARTUP.equals(kind) && !owner.started())) {
                return; // liveness and readiness wait for the startup probe
            }
            if (STARTUP.equals(kind) && (result || failedOut)) {
                return;
            }
            if (!inFlight.compareAndSet(false, true)) {
                return;
            }
            try {
                pool.execute(this::run);
            } catch (RejectedExecutionException e) {
                inFlight.set(false);
                LOG.warn("probe {} of container {} skipped: the pod pool is full", kind, owner.id);
            }
        }

        private void run() {
            try {
                ProbeResult r;
                try {
                    r = runner.probe(probe, container, owner.id, podIP); // the container resolves named ports
                } catch (RuntimeException e) {
                    r = new ProbeResult(false, e.getMessage() == null ? e.toString() : e.getMessage());
                }
                if (cancelled) {
                    return;
                }
                boolean before = result;
                boolean beforeOut = failedOut;
                if (r.success()) {
                    failures = 0;
                    if (++successes >= successThreshold) {
                        result = true;
                    }
                } else {
                    successes = 0;
                    message = r.message();
                    if (++failures >= failureThreshold) {
                        result = false;
                        failedOut = STARTUP.equals(kind);
                    }
                }
                if (before != result || beforeOut != failedOut) {
                    LOG.info("{} of container {} (pod {}) now {}{}", kind, owner.id, owner.uid,
                            result ? "succeeds" : "fails", result ? "" : ": " + message);
                    changed.accept(owner.uid);
                }
            } finally {
                inFlight.set(false);
            }
        }

        void cancel() {
            cancelled = true;
            tick.cancel(false);
        }
    }
}
