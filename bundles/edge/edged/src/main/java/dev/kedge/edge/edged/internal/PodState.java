package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.edged.EdgedPodInfo;

/**
 * What Edged remembers of one pod between syncs. Only the pod's worker writes it (syncs of one pod never overlap);
 * {@link #pod} and {@link #view} are volatile for the bus thread and the shell.
 */
final class PodState {
    /** Why a container is waiting: kubelet's reason and message. */
    record Waiting(String reason, String message) {
    }

    final String uid;
    /** The desired pod; null once it is gone from {@code meta} (or was never there: an orphan). */
    volatile JsonNode pod;
    /** namespace/name, kept when the pod goes. */
    volatile String key;
    volatile EdgedPodInfo view;

    String sandboxId = "";
    SandboxSpec sandboxSpec;
    String podIP = "";
    Instant startTime;
    Map<String, Path> volumes;
    Instant volumesAt;
    /** A pod-level error (sandbox creation, volumes) shown on the containers that are not running. */
    Waiting podError;
    /** When the last RunPodSandbox failed (null = it did not); retries back off like container restarts. */
    java.time.Instant sandboxFailedAt;
    final Map<String, Waiting> waiting = new ConcurrentHashMap<>();
    /** Statuses of containers that will not change any more (exited) or only by state (running). */
    final Map<String, ContainerStatus> statusCache = new ConcurrentHashMap<>();
    final Conditions conditions = new Conditions();
    /** Succeeded or Failed: nothing is (re)started any more. */
    String terminalPhase;
    JsonNode lastSent;
    boolean terminated;
    boolean deleteConfirmed;

    PodState(String uid) {
        this.uid = uid;
    }
}
