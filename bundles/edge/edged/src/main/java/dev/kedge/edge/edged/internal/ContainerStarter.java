package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.edged.internal.spec.PodSpecException;

/**
 * Creates and starts one container of a pod: image (pull policy), spec, Edged's labels and annotations (identity,
 * restart count, grace), then CRI create + start. Failures become the container's waiting reason and a retry.
 */
final class ContainerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);
    static final Duration RETRY = Duration.ofSeconds(10);
    static final Duration IMAGE_RETRY = Duration.ofSeconds(5);

    /** What became of a start. */
    record Outcome(boolean started, Duration retryAfter) {
        static final Outcome STARTED = new Outcome(true, null);
    }

    private final PodSyncContext ctx;

    ContainerStarter(PodSyncContext ctx) {
        this.ctx = ctx;
    }

    Outcome start(PodState st, JsonNode pod, JsonNode container, long restartCount, boolean init,
            ContainerRuntime rt, PodSpecs specs) {
        String name = PodJson.containerName(container);
        String image;
        try {
            image = specs.ensureImage(pod, container);
        } catch (PodSpecException e) {
            st.waiting.put(name, new PodState.Waiting(e.reason(), message(e)));
            return new Outcome(false, IMAGE_RETRY);
        }
        ContainerSpec spec;
        try {
            spec = specs.container(pod, container, (int) restartCount, image, st.volumes, st.podIP, ctx.hostIP(),
                    ctx.nodeName());
        } catch (PodSpecException e) {
            st.waiting.put(name, new PodState.Waiting(e.reason(), message(e)));
            return new Outcome(false, RETRY);
        } catch (RuntimeException e) {
            LOG.error("container spec of {} in pod {} failed", name, st.key, e);
            st.waiting.put(name, new PodState.Waiting(PodSpecException.CREATE_ERROR, e.toString()));
            return new Outcome(false, RETRY);
        }
        spec = identify(spec, pod, name, restartCount, init);
        String id;
        try {
            id = rt.createContainer(st.sandboxId, spec, st.sandboxSpec);
        } catch (RuntimeCallException e) {
            st.waiting.put(name, new PodState.Waiting(PodSpecException.CREATE_ERROR, e.getMessage()));
            return new Outcome(false, RETRY);
        }
        try {
            rt.startContainer(id);
        } catch (RuntimeCallException e) {
            st.waiting.put(name, new PodState.Waiting("RunContainerError", e.getMessage()));
            try {
                rt.removeContainer(id); // a created, never started container would block the next attempt's name
            } catch (RuntimeCallException ignored) {
                // the GC gets it
            }
            return new Outcome(false, RETRY);
        }
        st.waiting.remove(name);
        LOG.debug("pod {}: container {} started ({}, restart {})", st.key, name, id, restartCount);
        return Outcome.STARTED;
    }

    private ContainerSpec identify(ContainerSpec s, JsonNode pod, String name, long restartCount, boolean init) {
        Map<String, String> labels = CriLabels.container(pod, name, ctx.nodeName(), s.labels());
        Map<String, String> notes = new HashMap<>(s.annotations() == null ? Map.of() : s.annotations());
        notes.put(CriLabels.RESTART_COUNT, Long.toString(restartCount));
        notes.put(CriLabels.GRACE, Long.toString(PodJson.graceSeconds(pod)));
        if (init) {
            notes.put(CriLabels.INIT, "true");
        }
        return new ContainerSpec(s.name(), (int) restartCount, s.image(), s.command(), s.args(), s.workingDir(),
                s.env(), s.mounts(), labels, notes, s.logPath(), s.resources(), s.runAsUser(), s.privileged(),
                s.readOnlyRootFilesystem(), s.tty(), s.stdin());
    }

    private static String message(PodSpecException e) {
        return e.getMessage() == null ? "" : e.getMessage();
    }
}
