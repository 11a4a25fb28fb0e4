package dev.kedge.edge.twin;

/**
 * One member device.
 *
 * @param id         KubeEdge's device id: {@code <namespace>/<name>} (v1.17+) or {@code <name>} (older clouds)
 * @param lastOnline when the mapper last reported the state, as KubeEdge writes it ({@code 2006-01-02 15:04:05})
 * @param twinCount  twins not marked deleted
 */
public record DeviceSummary(String id, String name, String state, String lastOnline, int twinCount) {
}
