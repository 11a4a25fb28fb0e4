package dev.kedge.edge.edged.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxState;

/** What the runtime has of one pod (by UID label): its sandboxes and containers, as listed. */
record RuntimePod(String uid, List<SandboxInfo> sandboxes, List<ContainerInfo> containers) {

    static final RuntimePod NONE = new RuntimePod("", List.of(), List.of());

    private static final Comparator<SandboxInfo> SANDBOX_AGE = Comparator.comparingInt(SandboxInfo::attempt)
            .thenComparingLong(SandboxInfo::createdAtNanos);
    private static final Comparator<ContainerInfo> CONTAINER_AGE = Comparator
            .comparingLong(RuntimePod::restartCount).thenComparingLong(ContainerInfo::createdAtNanos);

    /** Edged's objects of {@code node}, grouped by pod UID. */
    static Map<String, RuntimePod> group(List<SandboxInfo> sandboxes, List<ContainerInfo> containers, String node) {
        Map<String, List<SandboxInfo>> sb = new HashMap<>();
        Map<String, List<ContainerInfo>> cs = new HashMap<>();
        for (SandboxInfo s : sandboxes) {
            if (CriLabels.ours(s.labels(), node)) {
                sb.computeIfAbsent(s.labels().get(CriLabels.POD_UID), k -> new ArrayList<>()).add(s);
            }
        }
        for (ContainerInfo c : containers) {
            if (CriLabels.ours(c.labels(), node)) {
                cs.computeIfAbsent(c.labels().get(CriLabels.POD_UID), k -> new ArrayList<>()).add(c);
            }
        }
        Map<String, RuntimePod> out = new HashMap<>();
        for (String uid : union(sb.keySet(), cs.keySet())) {
            out.put(uid, new RuntimePod(uid, List.copyOf(sb.getOrDefault(uid, List.of())),
                    List.copyOf(cs.getOrDefault(uid, List.of()))));
        }
        return out;
    }

    private static List<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }

    /** The newest READY sandbox. */
    Optional<SandboxInfo> readySandbox() {
        return sandboxes.stream().filter(s -> s.state() == SandboxState.READY).max(SANDBOX_AGE);
    }

    /** The newest sandbox, in any state. */
    Optional<SandboxInfo> latestSandbox() {
        return sandboxes.stream().max(SANDBOX_AGE);
    }

    int nextSandboxAttempt() {
        return sandboxes.stream().mapToInt(SandboxInfo::attempt).max().orElse(-1) + 1;
    }

    /** The newest container named {@code name} in sandbox {@code sandboxId} (null = any sandbox). */
    Optional<ContainerInfo> latest(String name, String sandboxId) {
        return containers.stream().filter(c -> name.equals(c.labels().get(CriLabels.CONTAINER_NAME)))
                .filter(c -> sandboxId == null || sandboxId.equals(c.sandboxId())).max(CONTAINER_AGE);
    }

    /** The newest exited container named {@code name} other than {@code except}: the container's last state. */
    Optional<ContainerInfo> previous(String name, String except) {
        return containers.stream().filter(c -> name.equals(c.labels().get(CriLabels.CONTAINER_NAME)))
                .filter(c -> !c.id().equals(except) && c.state() == ContainerState.EXITED).max(CONTAINER_AGE);
    }

    List<ContainerInfo> running() {
        return containers.stream().filter(c -> c.state() == ContainerState.RUNNING
                || c.state() == ContainerState.UNKNOWN).toList();
    }

    boolean isEmpty() {
        return sandboxes.isEmpty() && containers.isEmpty();
    }

    String label(String key) {
        for (SandboxInfo s : sandboxes) {
            String v = s.labels().get(key);
            if (v != null) {
                return v;
            }
        }
        for (ContainerInfo c : containers) {
            String v = c.labels().get(key);
            if (v != null) {
                return v;
            }
        }
        return "";
    }

    /** The restart count stored at creation (annotation), else the CRI attempt. */
    static long restartCount(ContainerInfo c) {
        String v = c.annotations() == null ? null : c.annotations().get(CriLabels.RESTART_COUNT);
        if (v != null) {
            try {
                return Long.parseLong(v);
            } catch (NumberFormatException e) {
                // fall through: a foreign or damaged annotation
            }
        }
        return c.attempt();
    }

    /** A fingerprint of the states: the relist compares it to see what changed. */
    String fingerprint() {
        StringBuilder b = new StringBuilder();
        sandboxes.stream().sorted(Comparator.comparing(SandboxInfo::id))
                .forEach(s -> b.append(s.id()).append(':').append(s.state()).append(';'));
        containers.stream().sorted(Comparator.comparing(ContainerInfo::id))
                .forEach(c -> b.append(c.id()).append(':').append(c.state()).append(';'));
        return b.toString();
    }
}
