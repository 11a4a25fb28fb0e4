package dev.kedge.edge.cri;

/**
 * Linux resources of a container, as kubelet derives them from requests and limits: CPU shares from the request
 * (2 minimum), CFS quota/period from the limit (0 = none), memory limit in bytes (0 = none), OOM score adjustment.
 */
public record LinuxResources(long cpuShares, long cpuQuota, long cpuPeriod, long memoryLimitBytes, long oomScoreAdj) {
    public static final LinuxResources NONE = new LinuxResources(0, 0, 0, 0, 0);
}
