package dev.kedge.edge.edged.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.json.Json;
import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.edged.internal.spec.ContainerSpecFactory;
import dev.kedge.edge.edged.internal.spec.PodSpecException;

/**
 * v1.PodStatus as kubelet computes it (phase by its getPhase, conditions in its order, container statuses) from the
 * pod, what the runtime has, and the probes. Deterministic for equal input, so "changed" is a plain comparison.
 */
final class PodStatusBuilder {
    static final String CONTAINERD = "containerd://";

    /** What the probes say about a running container. */
    interface ProbeView {
        boolean ready(String containerId, JsonNode container);

        boolean started(String containerId, JsonNode container);
    }

    /** A computed status with the counts {@code edged:pods} shows. */
    record Result(ObjectNode status, String phase, int ready, int total, long restarts) {
    }

    private final ProbeView probes;

    PodStatusBuilder(ProbeView probes) {
        this.probes = probes;
    }

    /** {@code details} gives a container's full status (exit code, times), cached by the caller. */
    Result build(JsonNode pod, PodState st, RuntimePod actual, String hostIP, Instant now,
            Function<ContainerInfo, Optional<ContainerStatus>> details) {
        ObjectNode status = Json.object();
        List<JsonNode> inits = PodJson.initContainers(pod);
        List<JsonNode> apps = PodJson.containers(pod);
        String policy = PodJson.restartPolicy(pod);

        ArrayNode initStatuses = Json.array();
        List<String> incompleteInit = new ArrayList<>();
        boolean failedInit = false;
        for (JsonNode c : inits) {
            ObjectNode cs = container(c, st, actual, "PodInitializing", details);
            initStatuses.add(cs);
            JsonNode term = cs.path("state").path("terminated");
            if (!(term.isObject() && term.path("exitCode").asInt() == 0)) {
                incompleteInit.add(PodJson.containerName(c));
                if (term.isObject() || cs.path("lastState").path("terminated").isObject()) {
                    failedInit = true;
                }
            }
        }
        boolean initialized = incompleteInit.isEmpty();

        ArrayNode appStatuses = Json.array();
        int running = 0, waiting = 0, stopped = 0, succeeded = 0, ready = 0;
        long restarts = 0;
        List<String> unready = new ArrayList<>();
        for (JsonNode c : apps) {
            ObjectNode cs = container(c, st, actual, initialized ? "ContainerCreating" : "PodInitializing", details);
            appStatuses.add(cs);
            restarts += cs.path("restartCount").asLong();
            JsonNode state = cs.path("state");
            if (state.has("running")) {
                running++;
            } else if (state.has("terminated")) {
                stopped++;
                if (state.path("terminated").path("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else if (cs.path("lastState").path("terminated").isObject()) {
                stopped++;
                if (cs.path("lastState").path("terminated").path("exitCode").asInt() == 0) {
                    succeeded++;
                }
            } else {
                waiting++;
            }
            if (cs.path("ready").asBoolean()) {
                ready++;
            } else {
                unready.add(PodJson.containerName(c));
            }
        }

        String phase;
        if (st.terminalPhase != null) {
            phase = st.terminalPhase;
        } else if (!initialized) {
            phase = failedInit && "Never".equals(policy) ? "Failed" : "Pending";
        } else if (waiting > 0) {
            phase = "Pending";
        } else if (running > 0) {
            phase = "Running";
        } else if (stopped > 0) {
            phase = "Always".equals(policy) ? "Running"
                    : stopped == succeeded ? "Succeeded" : "Never".equals(policy) ? "Failed" : "Running";
        } else {
            phase = "Pending";
        }

        status.put("phase", phase);
        ArrayNode conds = status.putArray("conditions");
        condition(conds, st, now, "Initialized", initialized, "ContainersNotInitialized",
                "containers with incomplete status: " + incompleteInit);
        boolean completed = "Succeeded".equals(phase) || "Failed".equals(phase);
        boolean allReady = unready.isEmpty() && !apps.isEmpty();
        String unreadyReason = completed ? "PodCompleted" : "ContainersNotReady";
        String unreadyMessage = completed ? "" : "containers with unready status: " + unready;
        condition(conds, st, now, "Ready", allReady, unreadyReason, unreadyMessage);
        condition(conds, st, now, "ContainersReady", allReady, unreadyReason, unreadyMessage);
        ObjectNode scheduled = conds.addObject();
        scheduled.put("type", "PodScheduled").put("status", "True").putNull("lastProbeTime");
        scheduled.put("lastTransitionTime", scheduledAt(pod, st, now));
        if (st.podError != null && running == 0) {
            status.put("message", st.podError.message());
            status.put("reason", st.podError.reason());
        }
        if (!hostIP.isEmpty()) {
            status.put("hostIP", hostIP);
        }
        if (!st.podIP.isEmpty()) {
            status.put("podIP", st.podIP);
            status.putArray("podIPs").addObject().put("ip", st.podIP);
        }
        if (st.startTime != null) {
            status.put("startTime", NodeObjects.rfc3339(st.startTime));
        }
        if (!inits.isEmpty()) {
            status.set("initContainerStatuses", initStatuses);
        }
        status.set("containerStatuses", appStatuses);
        status.put("qosClass", qos(pod));
        return new Result(status, phase, ready, apps.size(), restarts);
    }

    private ObjectNode container(JsonNode spec, PodState st, RuntimePod actual, String defaultReason,
            Function<ContainerInfo, Optional<ContainerStatus>> details) {
        String name = PodJson.containerName(spec);
        Optional<ContainerInfo> cur = st.sandboxId.isEmpty() ? Optional.empty() : actual.latest(name, st.sandboxId);
        Optional<ContainerInfo> prev = actual.previous(name, cur.map(ContainerInfo::id).orElse(""));
        ObjectNode cs = Json.object();
        cs.put("name", name);
        ObjectNode state = cs.putObject("state");
        ObjectNode last = cs.putObject("lastState");
        boolean running = false;
        PodState.Waiting w = st.waiting.get(name);
        if (cur.isPresent()) {
            ContainerInfo c = cur.get();
            Optional<ContainerStatus> d = details.apply(c);
            if (c.state() == ContainerState.RUNNING) {
                running = true;
                state.putObject("running").put("startedAt", time(d.map(ContainerStatus::startedAtNanos).orElse(0L)));
                prev.ifPresent(p -> terminated(last.putObject("terminated"), p, details));
            } else if (c.state() == ContainerState.EXITED && w != null) {
                waiting(state, w);
                terminated(last.putObject("terminated"), c, details); // waiting to restart: its last run is the last state
            } else if (c.state() == ContainerState.EXITED) {
                terminated(state.putObject("terminated"), c, details);
                prev.ifPresent(p -> terminated(last.putObject("terminated"), p, details));
            } else {
                waiting(state, new PodState.Waiting("ContainerCreating", ""));
            }
            cs.put("ready", running && probes.ready(c.id(), spec));
            cs.put("restartCount", RuntimePod.restartCount(c));
            cs.put("image", spec.path("image").asText(""));
            cs.put("imageID", c.imageRef() == null ? "" : c.imageRef());
            cs.put("containerID", CONTAINERD + c.id());
            cs.put("started", running && probes.started(c.id(), spec));
            return cs;
        }
        PodState.Waiting why = w != null ? w : st.podError != null ? st.podError
                : new PodState.Waiting(defaultReason, "");
        waiting(state, why);
        prev.ifPresent(p -> terminated(last.putObject("terminated"), p, details));
        cs.put("ready", false);
        cs.put("restartCount", prev.map(RuntimePod::restartCount).orElse(0L));
        cs.put("image", spec.path("image").asText(""));
        cs.put("imageID", "");
        cs.put("started", false);
        return cs;
    }

    /** The spec translation's QoS class (the one the container resources follow); BestEffort for bad quantities. */
    private static String qos(JsonNode pod) {
        try {
            return ContainerSpecFactory.qosClass(pod);
        } catch (PodSpecException e) {
            return "BestEffort";
        }
    }

    private static void waiting(ObjectNode state, PodState.Waiting w) {
        ObjectNode n = state.putObject("waiting").put("reason", w.reason());
        if (!w.message().isEmpty()) {
            n.put("message", w.message());
        }
    }

    private static void terminated(ObjectNode t, ContainerInfo c,
            Function<ContainerInfo, Optional<ContainerStatus>> details) {
        Optional<ContainerStatus> d = details.apply(c);
        t.put("exitCode", d.map(ContainerStatus::exitCode).orElse(0));
        String reason = d.map(ContainerStatus::reason).orElse("");
        t.put("reason", reason.isEmpty() ? (d.map(ContainerStatus::exitCode).orElse(0) == 0 ? "Completed" : "Error")
                : reason);
        String message = d.map(ContainerStatus::message).orElse("");
        if (!message.isEmpty()) {
            t.put("message", message);
        }
        t.put("startedAt", time(d.map(ContainerStatus::startedAtNanos).orElse(0L)));
        t.put("finishedAt", time(d.map(ContainerStatus::finishedAtNanos).orElse(0L)));
        t.put("containerID", CONTAINERD + c.id());
    }

    private static String time(long nanos) {
        return NodeObjects.rfc3339(Instant.ofEpochSecond(0, Math.max(0, nanos)));
    }

    private static void condition(ArrayNode out, PodState st, Instant now, String type, boolean ok, String reason,
            String message) {
        String value = ok ? "True" : "False";
        ObjectNode c = out.addObject();
        c.put("type", type).put("status", value).putNull("lastProbeTime");
        c.put("lastTransitionTime", NodeObjects.rfc3339(st.conditions.transition(type, value, now)));
        if (!ok) {
            c.put("reason", reason);
            if (!message.isEmpty()) {
                c.put("message", message);
            }
        }
    }

    /** The scheduler's time if the pod has it, else the pod's creation. */
    private static String scheduledAt(JsonNode pod, PodState st, Instant now) {
        for (JsonNode c : pod.path("status").path("conditions")) {
            if ("PodScheduled".equals(c.path("type").asText()) && c.hasNonNull("lastTransitionTime")) {
                return c.path("lastTransitionTime").asText();
            }
        }
        String created = pod.path("metadata").path("creationTimestamp").asText("");
        return created.isEmpty() ? NodeObjects.rfc3339(st.conditions.transition("PodScheduled", "True", now))
                : created;
    }
}
