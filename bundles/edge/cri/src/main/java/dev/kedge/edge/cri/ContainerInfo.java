package dev.kedge.edge.cri;

import java.util.Map;

/** A container as listed (CRI {@code Container}). */
public record ContainerInfo(String id, String sandboxId, String name, int attempt, String image, String imageRef,
        ContainerState state, long createdAtNanos, Map<String, String> labels, Map<String, String> annotations) {
}
