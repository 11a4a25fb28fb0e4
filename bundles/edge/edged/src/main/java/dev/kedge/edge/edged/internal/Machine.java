package dev.kedge.edge.edged.internal;

/**
 * What the node knows about its machine at one moment.
 *
 * @param cpus           processors (cores the kernel lists)
 * @param memoryTotal    physical memory in bytes (MemTotal)
 * @param memoryAvailable memory available without swapping, in bytes (MemAvailable)
 * @param storageTotal   size of the root directory's file store, in bytes
 * @param storageFree    bytes of it this process may still use
 * @param pidMax         the kernel's pid_max
 * @param processes      processes and threads that exist now
 * @param hostIP         the detected InternalIP
 */
record Machine(int cpus, long memoryTotal, long memoryAvailable, long storageTotal, long storageFree, long pidMax,
        long processes, String machineID, String systemUUID, String bootID, String kernelVersion, String osImage,
        String architecture, String hostIP) {
}
