package dev.kedge.edge.cri;

import java.util.Map;

/** A sandbox as listed (CRI {@code PodSandbox}); {@code createdAtNanos} is Unix time in nanoseconds. */
public record SandboxInfo(String id, String name, String namespace, String uid, int attempt, SandboxState state,
        long createdAtNanos, Map<String, String> labels, Map<String, String> annotations) {
}
