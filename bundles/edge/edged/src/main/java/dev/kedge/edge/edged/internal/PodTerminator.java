package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.SandboxInfo;

/**
 * kubelet's killPod for a deleted pod (or an orphan found in the runtime): preStop exec hooks, then each running
 * container stopped within what is left of the grace period (SIGTERM, SIGKILL at the end), sandboxes stopped and
 * removed, volumes torn down. A pod deleted in the API then gets its delete confirmed upstream, so that
 * {@code kubectl delete} returns only once the containers are gone.
 */
final class PodTerminator {
    private static final Logger LOG = LoggerFactory.getLogger(PodTerminator.class);

    private final PodSyncContext ctx;

    PodTerminator(PodSyncContext ctx) {
        this.ctx = ctx;
    }

    /** {@code pod} null: gone from meta (final delete) or never known (orphan). */
    void terminate(PodState st, RuntimePod actual, JsonNode pod, ContainerRuntime rt, PodSpecs specs) {
        ctx.probes.forgetPod(st.uid);
        if (!actual.isEmpty()) {
            long grace = pod != null ? PodJson.graceSeconds(pod) : graceOf(actual);
            Instant deadline = ctx.clock.instant().plusSeconds(grace);
            try {
                stop(st, actual, pod, rt, deadline);
            } catch (RuntimeCallException e) {
                LOG.warn("pod {}: not stopped yet ({}); retrying in 2 s", st.key, e.getMessage());
                ctx.workers.triggerAfter(st.uid, Duration.ofSeconds(2));
                return;
            }
        }
        if (!st.terminated) {
            try {
                specs.tearDown(st.uid);
            } catch (RuntimeException e) {
                LOG.warn("pod {}: volumes not torn down: {}", st.key, e.toString());
            }
            ctx.backoff.forgetPod(st.uid);
            st.terminated = true;
            LOG.info("pod {} ({}) terminated", st.key, st.uid);
        }
        if (pod != null && !st.deleteConfirmed) {
            st.deleteConfirmed = ctx.reporter.confirmDelete(PodJson.namespace(pod), PodJson.name(pod), st.uid);
            if (!st.deleteConfirmed) {
                ctx.workers.triggerAfter(st.uid, Duration.ofSeconds(5));
            }
        }
    }

    private void stop(PodState st, RuntimePod actual, JsonNode pod, ContainerRuntime rt, Instant deadline) {
        List<ContainerInfo> running = actual.running();
        if (pod != null) {
            for (ContainerInfo c : running) {
                List<String> hook = preStop(pod, c.labels().get(CriLabels.CONTAINER_NAME));
                if (!hook.isEmpty()) {
                    try {
                        rt.execSync(c.id(), hook, left(deadline));
                    } catch (RuntimeCallException e) {
                        LOG.warn("pod {}: preStop hook of {} failed: {}", st.key, c.id(), e.getMessage());
                    }
                }
            }
        }
        for (ContainerInfo c : running) {
            rt.stopContainer(c.id(), left(deadline));
        }
        for (SandboxInfo s : actual.sandboxes()) {
            rt.stopPodSandbox(s.id());
            rt.removePodSandbox(s.id());
        }
        for (ContainerInfo c : actual.containers()) {
            rt.removeContainer(c.id());
        }
    }

    private static List<String> preStop(JsonNode pod, String name) {
        for (JsonNode c : PodJson.containers(pod)) {
            if (PodJson.containerName(c).equals(name)) {
                return PodJson.preStopCommand(c);
            }
        }
        return List.of();
    }

    private Duration left(Instant deadline) {
        Duration d = Duration.between(ctx.clock.instant(), deadline);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** An orphan's grace, from the annotation written at creation; 30 s when unknown. */
    private static long graceOf(RuntimePod actual) {
        for (ContainerInfo c : actual.running()) {
            String g = c.annotations() == null ? null : c.annotations().get(CriLabels.GRACE);
            if (g != null) {
                try {
                    return Math.max(0, Long.parseLong(g));
                } catch (NumberFormatException e) {
                    // next
                }
            }
        }
        return PodJson.DEFAULT_GRACE_SECONDS;
    }
}
