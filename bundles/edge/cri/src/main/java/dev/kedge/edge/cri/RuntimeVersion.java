package dev.kedge.edge.cri;

/** CRI {@code Version}: e.g. runtimeName {@code containerd}, runtimeVersion {@code 1.6.20}, apiVersion {@code v1}. */
public record RuntimeVersion(String runtimeName, String runtimeVersion, String runtimeApiVersion) {
}
