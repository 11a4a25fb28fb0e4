package dev.kedge.edge.cri;

/**
 * A container's full status (CRI {@code ContainerStatus}); times are Unix nanoseconds, 0 = not yet. {@code reason}
 * is the runtime's, e.g. {@code Completed}, {@code Error}, {@code OOMKilled}; {@code logPath} is absolute.
 */
public record ContainerStatus(ContainerInfo info, long startedAtNanos, long finishedAtNanos, int exitCode,
        String reason, String message, String logPath) {
}
