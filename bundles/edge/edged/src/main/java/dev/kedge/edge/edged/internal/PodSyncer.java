package dev.kedge.edge.edged.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.edged.EdgedPodInfo;
import dev.kedge.edge.edged.internal.spec.ContainerSpecFactory;
import dev.kedge.edge.edged.internal.spec.PodSpecException;

/**
 * One pod's sync (kubelet's syncPod + computePodActions), run by its worker: makes the runtime match the pod —
 * sandbox, volumes, init containers in order, then app containers with restart policy and CrashLoopBackOff,
 * liveness kills — and reports the status when it changed. A deleted pod goes to the {@link PodTerminator}.
 */
final class PodSyncer {
    /** The back-off key of a pod's sandbox (container keys are container names, never with a slash). */
    static final String SANDBOX_BACKOFF = "/sandbox";

    private static final Logger LOG = LoggerFactory.getLogger(PodSyncer.class);
    static final Duration VOLUME_REFRESH = Duration.ofMinutes(1);

    private final PodSyncContext ctx;
    private final ContainerStarter starter;
    private final PodTerminator terminator;
    private final PodStatusBuilder builder;

    PodSyncer(PodSyncContext ctx, PodTerminator terminator) {
        this.ctx = ctx;
        this.starter = new ContainerStarter(ctx);
        this.terminator = terminator;
        this.builder = new PodStatusBuilder(ctx.probes);
    }

    /** Converges the pod; {@code rt}/{@code specs} are the runtime of the moment. */
    void sync(PodState st, ContainerRuntime rt, PodSpecs specs) {
        RuntimePod actual;
        try {
            actual = fetch(rt, st.uid);
        } catch (RuntimeCallException e) {
            LOG.warn("pod {}: cannot list the runtime ({}); retrying", st.key, e.getMessage());
            ctx.workers.triggerAfter(st.uid, Duration.ofSeconds(2));
            return;
        }
        JsonNode pod = st.pod;
        if (pod == null || PodJson.deleting(pod)) {
            terminator.terminate(st, actual, pod, rt, specs);
            return;
        }
        if (st.startTime == null) {
            st.startTime = startTime(pod);
        }
        boolean changed;
        try {
            changed = converge(st, pod, actual, rt, specs);
        } catch (RuntimeCallException e) {
            LOG.warn("pod {}: runtime call failed ({}); retrying in 2 s", st.key, e.getMessage());
            ctx.workers.triggerAfter(st.uid, Duration.ofSeconds(2));
            changed = true;
        }
        if (changed) {
            try {
                actual = fetch(rt, st.uid);
            } catch (RuntimeCallException e) {
                return; // the retry above reports
            }
        }
        report(st, pod, actual, rt);
    }

    RuntimePod fetch(ContainerRuntime rt, String uid) {
        return RuntimePod.group(rt.listPodSandboxes(), rt.listContainers(), ctx.nodeName())
                .getOrDefault(uid, RuntimePod.NONE);
    }

    private boolean converge(PodState st, JsonNode pod, RuntimePod actual, ContainerRuntime rt, PodSpecs specs) {
        if (st.terminalPhase != null) {
            return false;
        }
        String policy = PodJson.restartPolicy(pod);
        boolean changed = false;
        Optional<SandboxInfo> ready = actual.readySandbox();
        if (ready.isEmpty()) {
            if (!actual.containers().isEmpty() && ("Never".equals(policy) || completed(st, pod, actual, rt))) {
                // kubelet gives neither a Never pod whose sandbox died nor a finished pod a new one
                if (st.sandboxId.isEmpty()) {
                    actual.latestSandbox().ifPresent(s -> st.sandboxId = s.id()); // its containers show the end
                }
                return false;
            }
            if (!runSandbox(st, pod, actual, rt, specs)) {
                return false;
            }
            changed = true;
            actual = new RuntimePod(st.uid, List.of(), actual.containers());
        } else if (!ready.get().id().equals(st.sandboxId) || st.sandboxSpec == null) {
            adoptSandbox(st, pod, ready.get(), rt, specs);
        }
        for (SandboxInfo s : actual.sandboxes()) {
            if (s.state() == SandboxState.READY && !s.id().equals(st.sandboxId)) {
                rt.stopPodSandbox(s.id()); // a duplicate: only the newest one runs the pod
                changed = true;
            }
        }
        if (!volumes(st, pod, specs)) {
            return changed;
        }
        Instant now = ctx.clock.instant();
        for (JsonNode c : PodJson.initContainers(pod)) {
            Optional<ContainerInfo> cur = actual.latest(PodJson.containerName(c), st.sandboxId);
            if (cur.isEmpty()) {
                return start(st, pod, c, next(actual, c), true, rt, specs) || changed;
            }
            ContainerInfo info = cur.get();
            if (info.state() == ContainerState.CREATED) {
                rt.startContainer(info.id());
                return true;
            }
            if (info.state() != ContainerState.EXITED) {
                return changed; // still running: the relist tells when it ends
            }
            int exit = details(st, rt, info).map(ContainerStatus::exitCode).orElse(-1);
            if (exit == 0) {
                st.waiting.remove(PodJson.containerName(c));
                continue;
            }
            if ("Never".equals(policy)) {
                return changed; // the pod fails: the status builder says so
            }
            return restart(st, pod, c, info, true, rt, specs, now) || changed;
        }
        Set<String> running = new HashSet<>();
        for (JsonNode c : PodJson.containers(pod)) {
            String name = PodJson.containerName(c);
            Optional<ContainerInfo> cur = actual.latest(name, st.sandboxId);
            if (cur.isEmpty()) {
                changed |= start(st, pod, c, next(actual, c), false, rt, specs);
                continue;
            }
            ContainerInfo info = cur.get();
            switch (info.state()) {
                case RUNNING -> {
                    ctx.probes.ensure(st.uid, info.id(), c, st.podIP.isEmpty() ? ctx.hostIP() : st.podIP);
                    String kill = ctx.probes.killReason(info.id());
                    if (kill == null && specChanged(info, c)) {
                        LOG.info("pod {}: container {} changed in the pod spec: recreating it", st.key, name);
                        rt.stopContainer(info.id(), Duration.ofSeconds(PodJson.graceSeconds(pod)));
                        changed |= start(st, pod, c, RuntimePod.restartCount(info) + 1, false, rt, specs);
                        continue;
                    }
                    if (kill == null) {
                        running.add(info.id());
                        st.waiting.remove(name);
                    } else {
                        LOG.info("pod {}: container {} killed: {}", st.key, name, kill);
                        rt.stopContainer(info.id(), Duration.ofSeconds(PodJson.graceSeconds(pod)));
                        ctx.workers.trigger(st.uid); // restart it by policy
                        changed = true;
                    }
                }
                case CREATED -> {
                    rt.startContainer(info.id());
                    changed = true;
                }
                case EXITED -> {
                    int exit = details(st, rt, info).map(ContainerStatus::exitCode).orElse(-1);
                    if ("Always".equals(policy) || ("OnFailure".equals(policy) && exit != 0)) {
                        changed |= restart(st, pod, c, info, false, rt, specs, now);
                    } else {
                        st.waiting.remove(name);
                    }
                }
                default -> {
                    // UNKNOWN: wait for the runtime to make up its mind
                }
            }
        }
        ctx.probes.retain(st.uid, running);
        return changed;
    }

    /** OnFailure: every app container ran to a clean exit (the pod succeeded, perhaps before a restart). */
    private boolean completed(PodState st, JsonNode pod, RuntimePod actual, ContainerRuntime rt) {
        if (!"OnFailure".equals(PodJson.restartPolicy(pod))) {
            return false;
        }
        for (JsonNode c : PodJson.containers(pod)) {
            Optional<ContainerInfo> last = actual.latest(PodJson.containerName(c), null);
            if (last.isEmpty() || last.get().state() != ContainerState.EXITED
                    || details(st, rt, last.get()).map(ContainerStatus::exitCode).orElse(-1) != 0) {
                return false;
            }
        }
        return true;
    }

    /** kubelet's container hash: the container's spec is not what it was created from (an image update …). */
    private static boolean specChanged(ContainerInfo info, JsonNode container) {
        String created = info.annotations() == null ? null : info.annotations().get(ContainerSpecFactory.CONTAINER_HASH);
        return created != null && !created.equals(ContainerSpecFactory.hash(container));
    }

    private boolean runSandbox(PodState st, JsonNode pod, RuntimePod actual, ContainerRuntime rt, PodSpecs specs) {
        // a failing RunPodSandbox (no CNI, a bad spec) backs off as a crashing container does: 10 s doubling to 5 min
        String backoffKey = st.uid + "/" + SANDBOX_BACKOFF;
        if (st.sandboxFailedAt != null) {
            Duration left = ctx.backoff.remaining(backoffKey, st.sandboxFailedAt);
            if (!left.isZero()) {
                ctx.workers.triggerAfter(st.uid, left);
                return false;
            }
        }
        int attempt = actual.nextSandboxAttempt();
        String logDir = logDirectory(pod);
        for (ContainerInfo c : actual.running()) {
            rt.stopContainer(c.id(), Duration.ofSeconds(PodJson.graceSeconds(pod))); // left in a dead sandbox
        }
        try {
            Files.createDirectories(Path.of(logDir));
            SandboxSpec spec = withIdentity(specs.sandbox(pod, attempt, logDir), pod);
            String id = rt.runPodSandbox(spec);
            st.sandboxId = id;
            st.sandboxSpec = spec;
            st.podIP = podIP(pod, id, rt);
            st.podError = null;
            st.sandboxFailedAt = null;
            st.statusCache.clear();
            LOG.info("pod {}: sandbox {} (attempt {}) running, IP {}", st.key, id, attempt, st.podIP);
            return true;
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("pod {}: sandbox not created: {}", st.key, why);
            st.podError = new PodState.Waiting("ContainerCreating", "Failed to create pod sandbox: " + why);
            st.sandboxFailedAt = ctx.clock.instant();
            ctx.backoff.restarted(backoffKey, st.sandboxFailedAt);
            ctx.workers.triggerAfter(st.uid, ctx.backoff.remaining(backoffKey, st.sandboxFailedAt));
            return false;
        }
    }

    private void adoptSandbox(PodState st, JsonNode pod, SandboxInfo s, ContainerRuntime rt, PodSpecs specs) {
        st.sandboxId = s.id();
        st.sandboxSpec = withIdentity(specs.sandbox(pod, s.attempt(), logDirectory(pod)), pod);
        st.podIP = podIP(pod, s.id(), rt);
        st.podError = null;
        LOG.info("pod {}: adopted sandbox {} (attempt {}), IP {}", st.key, s.id(), s.attempt(), st.podIP);
    }

    private SandboxSpec withIdentity(SandboxSpec s, JsonNode pod) {
        return new SandboxSpec(s.name(), s.namespace(), s.uid(), s.attempt(), s.hostname(), s.logDirectory(),
                s.hostNetwork(), CriLabels.pod(pod, ctx.nodeName(), s.labels()), s.annotations(), s.portMappings(),
                s.cgroupParent(), s.dnsServers(), s.dnsSearches(), s.dnsOptions(), s.privileged());
    }

    private String podIP(JsonNode pod, String sandboxId, ContainerRuntime rt) {
        if (PodJson.hostNetwork(pod)) {
            return ctx.hostIP();
        }
        return rt.podSandboxStatus(sandboxId).map(s -> s.ip() == null ? "" : s.ip()).orElse("");
    }

    /** kubelet's pod log directory: {@code <root>/<ns>_<name>_<uid>}. */
    String logDirectory(JsonNode pod) {
        return ctx.settings.podLogsDirectory()
                .resolve(PodJson.namespace(pod) + "_" + PodJson.name(pod) + "_" + PodJson.uid(pod)).toString();
    }

    /** Volumes before the first container; refreshed (configMap/secret files) every minute. */
    private boolean volumes(PodState st, JsonNode pod, PodSpecs specs) {
        Instant now = ctx.clock.instant();
        if (st.volumes != null && st.volumesAt != null && now.isBefore(st.volumesAt.plus(VOLUME_REFRESH))) {
            return true;
        }
        try {
            st.volumes = specs.setUpVolumes(pod);
            st.volumesAt = now;
            if (st.podError != null && st.podError.reason().equals(PodSpecException.CONFIG_ERROR)) {
                st.podError = null;
            }
            return true;
        } catch (PodSpecException e) {
            if (st.volumes != null) {
                LOG.warn("pod {}: volumes not refreshed: {}", st.key, e.getMessage());
                st.volumesAt = now;
                return true;
            }
            st.podError = new PodState.Waiting(e.reason(), e.getMessage() == null ? "" : e.getMessage());
            ctx.workers.triggerAfter(st.uid, ContainerStarter.RETRY);
            return false;
        }
    }

    /** Forces the next sync to set the volumes up again (a configMap or secret changed). */
    static void refreshVolumes(PodState st) {
        st.volumesAt = null;
    }

    private boolean start(PodState st, JsonNode pod, JsonNode c, long restartCount, boolean init,
            ContainerRuntime rt, PodSpecs specs) {
        ContainerStarter.Outcome o = starter.start(st, pod, c, restartCount, init, rt, specs);
        if (!o.started()) {
            ctx.workers.triggerAfter(st.uid, o.retryAfter());
        }
        return o.started();
    }

    /** Restart by CrashLoopBackOff: now if the back-off allows, else waiting and a sync when it ends. */
    private boolean restart(PodState st, JsonNode pod, JsonNode c, ContainerInfo exited, boolean init,
            ContainerRuntime rt, PodSpecs specs, Instant now) {
        String name = PodJson.containerName(c);
        String key = st.uid + "/" + name;
        Instant finished = details(st, rt, exited).map(d -> Instant.ofEpochSecond(0, d.finishedAtNanos()))
                .filter(t -> t.getEpochSecond() > 0).orElse(now);
        Duration left = ctx.backoff.remaining(key, finished);
        if (!left.isZero()) {
            st.waiting.put(name, new PodState.Waiting("CrashLoopBackOff", "back-off "
                    + GoDuration.format(ctx.backoff.delay(key)) + " restarting failed container=" + name + " pod="
                    + PodJson.name(pod) + "_" + PodJson.namespace(pod) + "(" + st.uid + ")"));
            ctx.workers.triggerAfter(st.uid, left);
            return false;
        }
        ctx.backoff.restarted(key, finished);
        return start(st, pod, c, RuntimePod.restartCount(exited) + 1, init, rt, specs);
    }

    /** The restart count of a new container: one more than the newest of that name in any sandbox. */
    private static long next(RuntimePod actual, JsonNode c) {
        return actual.latest(PodJson.containerName(c), null).map(i -> RuntimePod.restartCount(i) + 1).orElse(0L);
    }

    Optional<ContainerStatus> details(PodState st, ContainerRuntime rt, ContainerInfo c) {
        ContainerStatus cached = st.statusCache.get(c.id());
        if (cached != null && cached.info().state() == c.state()) {
            return Optional.of(cached);
        }
        try {
            Optional<ContainerStatus> d = rt.containerStatus(c.id());
            d.ifPresent(s -> st.statusCache.put(c.id(), s));
            return d;
        } catch (RuntimeCallException e) {
            return Optional.ofNullable(cached);
        }
    }

    private void report(PodState st, JsonNode pod, RuntimePod actual, ContainerRuntime rt) {
        st.statusCache.keySet().retainAll(actual.containers().stream().map(ContainerInfo::id).toList());
        PodStatusBuilder.Result r = builder.build(pod, st, actual, ctx.hostIP(), ctx.clock.instant(),
                c -> details(st, rt, c));
        if (st.terminalPhase == null && ("Succeeded".equals(r.phase()) || "Failed".equals(r.phase()))) {
            st.terminalPhase = r.phase();
            LOG.info("pod {} {}", st.key, r.phase());
            ctx.probes.forgetPod(st.uid);
            if (!st.sandboxId.isEmpty()) {
                try {
                    rt.stopPodSandbox(st.sandboxId); // nothing runs in it any more
                } catch (RuntimeCallException e) {
                    LOG.warn("pod {}: sandbox not stopped: {}", st.key, e.getMessage());
                }
            }
        }
        st.view = new EdgedPodInfo(PodJson.namespace(pod), PodJson.name(pod), st.uid, r.phase(), r.ready(),
                r.total(), r.restarts(), st.podIP, st.startTime);
        if (!ctx.reporter.report(st, PodJson.namespace(pod), PodJson.name(pod), r.status())) {
            ctx.workers.triggerAfter(st.uid, Duration.ofSeconds(5));
        }
    }

    private Instant startTime(JsonNode pod) {
        String t = pod.path("status").path("startTime").asText("");
        if (!t.isEmpty()) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                // fall through
            }
        }
        return ctx.clock.instant();
    }
}
