package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * The pod lifecycle's validated settings (part of {@link EdgedSettings}).
 *
 * @param runtimeEndpoint         CRI endpoint (the CRI bundle connects; Edged shows it)
 * @param imageEndpoint           CRI image endpoint
 * @param runtimeRequestTimeout   CRI call deadline (the CRI bundle applies it)
 * @param podSandboxImage         KubeEdge's pause image setting; containerd's CRI runs its own {@code sandbox_image}
 * @param podsDirectory           {@code <rootDirectory>/pods}: one directory per pod UID for its volumes
 * @param cgroupDriver            cgroupfs or systemd
 * @param maxPerPodContainerCount exited containers kept per pod container
 * @param maxContainerCount       exited containers kept on the node; negative = no limit
 * @param podLogsDirectory        where the sandboxes' log directories go
 * @param relistPeriod            how often the runtime is listed (PLEG)
 * @param relistIdlePeriod        how often while the node has no pod: nothing to watch but strays and health
 * @param relistEventedPeriod     how often while the runtime's events arrive: they tell what changed
 * @param workers                 pool size for pod syncs and probes
 */
record PodSettings(String runtimeEndpoint, String imageEndpoint, Duration runtimeRequestTimeout,
        String podSandboxImage, Path podsDirectory, String cgroupDriver, int maxPerPodContainerCount,
        int maxContainerCount, Path podLogsDirectory, Duration relistPeriod, Duration relistIdlePeriod, Duration relistEventedPeriod,
        int workers) {

    private static final Set<String> CGROUP_DRIVERS = Set.of("cgroupfs", "systemd");

    static PodSettings of(EdgedConfig c, Path root) {
        String runtime = endpoint(c.remoteRuntimeEndpoint(), "remoteRuntimeEndpoint");
        String image = c.remoteImageEndpoint() == null || c.remoteImageEndpoint().isBlank() ? runtime
                : endpoint(c.remoteImageEndpoint(), "remoteImageEndpoint");
        if (c.runtimeRequestTimeout() <= 0) {
            throw new IllegalArgumentException("runtimeRequestTimeout must be positive, got " + c.runtimeRequestTimeout());
        }
        String sandboxImage = c.podSandboxImage() == null ? "" : c.podSandboxImage().strip();
        if (sandboxImage.isEmpty()) {
            throw new IllegalArgumentException("podSandboxImage must not be empty");
        }
        String driver = c.cgroupDriver() == null ? "" : c.cgroupDriver().strip();
        if (!CGROUP_DRIVERS.contains(driver)) {
            throw new IllegalArgumentException("cgroupDriver must be cgroupfs or systemd, got \"" + driver + "\"");
        }
        if (c.maxPerPodContainerCount() < 1) {
            throw new IllegalArgumentException("maxPerPodContainerCount must be at least 1, got "
                    + c.maxPerPodContainerCount());
        }
        String logs = c.podLogsRootDirectory() == null ? "" : c.podLogsRootDirectory().strip();
        if (logs.isEmpty() || !Path.of(logs).isAbsolute()) {
            throw new IllegalArgumentException("podLogsRootDirectory must be an absolute path, got \"" + logs + "\"");
        }
        if (c.relistPeriodMs() < 100) {
            throw new IllegalArgumentException("relistPeriodMs must be at least 100, got " + c.relistPeriodMs());
        }
        if (c.relistIdlePeriodMs() < c.relistPeriodMs()) {
            throw new IllegalArgumentException("relistIdlePeriodMs must be at least relistPeriodMs ("
                    + c.relistPeriodMs() + "), got " + c.relistIdlePeriodMs());
        }
        if (c.relistEventedPeriodMs() < c.relistPeriodMs()) {
            throw new IllegalArgumentException("relistEventedPeriodMs must be at least relistPeriodMs ("
                    + c.relistPeriodMs() + "), got " + c.relistEventedPeriodMs());
        }
        if (c.podWorkers() < 1 || c.podWorkers() > 64) {
            throw new IllegalArgumentException("podWorkers must be 1..64, got " + c.podWorkers());
        }
        return new PodSettings(runtime, image, Duration.ofSeconds(c.runtimeRequestTimeout()), sandboxImage,
                root.resolve("pods"), driver, c.maxPerPodContainerCount(), c.maxContainerCount(), Path.of(logs),
                Duration.ofMillis(c.relistPeriodMs()), Duration.ofMillis(c.relistIdlePeriodMs()),
                Duration.ofMillis(c.relistEventedPeriodMs()), c.podWorkers());
    }

    private static String endpoint(String value, String name) {
        String v = value == null ? "" : value.strip();
        if (!v.startsWith("unix://") || v.length() <= "unix://".length()) {
            throw new IllegalArgumentException(name + " must be a unix:// socket address, got \"" + v + "\"");
        }
        return v;
    }
}
