package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;

/**
 * kubelet's PLEG: lists sandboxes and containers (the tick is on the shared scheduler, the listing on the pod pool),
 * tells which pods' states changed, and keeps the runtime's health (CRI Version and Status) for the node's Ready
 * condition.
 * <p>With containerd's events (kubelet's evented PLEG, for a runtime whose CRI has no events: containerd 1.6) each
 * tick only polls the subscription, which costs one read of a socket; an event lists at that tick and at the next
 * (CRI's own state follows containerd's events a moment later), and the runtime is listed every evented period
 * anyway. Listing every second was the largest part of an idle edge's CPU.
 * <p>Without events (CRI-O), every relist period; and a node without pods (none desired, none found) every idle
 * period only. A pod arriving is listed at once ({@link #relistSoon}). The health is asked every
 * {@value #STATUS_EVERY} relist periods, and at every listing while the runtime is not ready or the node has no
 * pod.
 */
final class Relister {
    private static final Logger LOG = LoggerFactory.getLogger(Relister.class);
    /** Healthy: the CRI Status is asked every this many relist periods; unhealthy: at every listing. */
    static final int STATUS_EVERY = 10;
    /** After a runtime said it has no event service: when to ask again (its endpoint may have changed). */
    static final Duration EVENTS_RETRY = Duration.ofMinutes(10);

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
    private volatile RuntimeHealth health = RuntimeHealth.UNKNOWN;
    private volatile boolean listedOnce;
    private volatile boolean foundNone; // the last listing found no pod of this node
    private volatile long listedAtNanos;
    private volatile long statusAtNanos;
    private final AtomicReference<RuntimeEvents> events = new AtomicReference<>();
    /** No subscription before this (a runtime without events said so). */
    private volatile long subscribeAtNanos = System.nanoTime();
    private volatile boolean eventsLogged;
    private volatile boolean noServiceLogged;
    private volatile boolean stopped;
    /** List again at the next tick: events arrived, or a subscription began just before the last listing. */
    private volatile boolean followUp;
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
        stopped = true;
        if (future != null) {
            future.cancel(false);
        }
        RuntimeEvents ev = events.getAndSet(null);
        if (ev != null) {
            ev.close();
        }
    }

    /** Whether the runtime's events drive the listings now. */
    boolean evented() {
        return events.get() != null;
    }

    RuntimeHealth health() {
        return health;
    }

    boolean listedOnce() {
        return listedOnce;
    }

    private void tick() {
        RuntimeEvents ev = events.get();
        if (ev != null) {
            tickSubscribed(ev);
        } else if (!idle() || System.nanoTime() - listedAtNanos >= settings.relistIdlePeriod().toNanos()) {
            relistSoon();
        }
    }

    /** A tick while subscribed: lists when events came (and once more), else now and then; asks the health. */
    private void tickSubscribed(RuntimeEvents ev) {
        boolean changed;
        try {
            changed = !ev.poll().isEmpty();
        } catch (RuntimeCallException e) {
            endEvents(ev, e);
            changed = true;
        }
        long now = System.nanoTime();
        if (changed || followUp) {
            followUp = changed;
            relistSoon();
        } else if (now - listedAtNanos >= settings.relistEventedPeriod().toNanos()) {
            relistSoon();
        } else if (!health.ready() || now - statusAtNanos >= statusPeriodNanos()) {
            submit(this::statusOnly); // a runtime that is not ready is asked at every tick, as without events
        }
    }

    private void endEvents(RuntimeEvents ev, RuntimeCallException why) {
        if (!events.compareAndSet(ev, null)) {
            return;
        }
        ev.close();
        if ("UNIMPLEMENTED".equals(why.code())) {
            subscribeAtNanos = System.nanoTime() + EVENTS_RETRY.toNanos();
            if (!noServiceLogged) {
                noServiceLogged = true;
                LOG.info("the container runtime has no event service: listing it every {} ms",
                        settings.relistPeriod().toMillis());
            }
        } else {
            LOG.info("the container runtime's events ended ({}): listing it, and subscribing again", why.getMessage());
        }
        eventsLogged = false;
    }

    private long statusPeriodNanos() {
        return settings.relistPeriod().toNanos() * STATUS_EVERY;
    }

    /** Nothing to watch: a ready runtime, no pod found by the last listing and none desired. */
    private boolean idle() {
        return foundNone && health.ready() && !listener.hasPods();
    }

    /** Lists now (on the pool), unless a listing is under way. */
    void relistSoon() {
        submit(this::relist);
    }

    /** Runs a listing or a health check on the pool, one at a time. */
    private void submit(Runnable task) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    task.run();
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false);
        }
    }

    private void statusOnly() {
        ContainerRuntime rt = runtime.get();
        if (rt == null) {
            return;
        }
        try {
            checkStatus(rt);
        } catch (RuntimeCallException e) {
            version = "";
            setHealth(RuntimeHealth.down("", e.getMessage()));
        }
    }

    void relist() {
        ContainerRuntime rt = runtime.get();
        if (rt == null) {
            version = "";
            setHealth(RuntimeHealth.MISSING);
            return;
        }
        if (events.get() == null && System.nanoTime() - subscribeAtNanos >= 0) {
            subscribe(rt);
        }
        Map<String, RuntimePod> pods;
        try {
            pods = RuntimePod.group(rt.listPodSandboxes(), rt.listContainers(), nodeName.get());
            if (!health.ready() || foundNone || System.nanoTime() - statusAtNanos >= statusPeriodNanos()) {
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

    /** Before the listing: an event after the subscription reached the runtime is not lost. */
    private void subscribe(ContainerRuntime rt) {
        RuntimeEvents ev;
        try {
            ev = rt.subscribeEvents();
        } catch (RuntimeCallException e) {
            return; // the runtime is down: the listing fails too and says so; the next one tries again
        }
        if (!events.compareAndSet(null, ev)) {
            ev.close();
            return;
        }
        if (stopped && events.compareAndSet(ev, null)) {
            ev.close(); // stopped meanwhile: an unread subscription would pile events up in the runtime
            return;
        }
        // the runtime may take the subscription after this listing: list once more at the next tick
        followUp = true;
        if (!eventsLogged) {
            eventsLogged = true;
            LOG.info("listening to the container runtime's events; listing it every {} s without them",
                    settings.relistEventedPeriod().toSeconds());
        }
    }

    private void checkStatus(ContainerRuntime rt) {
        statusAtNanos = System.nanoTime();
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
