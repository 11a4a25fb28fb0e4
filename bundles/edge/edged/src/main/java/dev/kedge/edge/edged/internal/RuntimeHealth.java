package dev.kedge.edge.edged.internal;

/**
 * What the node status says about the container runtime: its version for {@code nodeInfo.containerRuntimeVersion}
 * (e.g. {@code containerd://1.6.20}) and whether the node can be Ready (kubelet's runtime check).
 *
 * @param version empty while unknown
 * @param ready   the runtime answers and says RuntimeReady
 * @param message why not ready; empty when ready
 */
record RuntimeHealth(String version, boolean ready, String message) {
    static final RuntimeHealth MISSING = new RuntimeHealth("", false,
            "container runtime is down: no ContainerRuntime service (feature kedge-edge-cri)");
    static final RuntimeHealth UNKNOWN = new RuntimeHealth("", false,
            "container runtime status check may not have completed yet");

    static RuntimeHealth down(String version, String why) {
        return new RuntimeHealth(version, false, "container runtime is down: " + why);
    }
}
