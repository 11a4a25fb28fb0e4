package dev.kedge.edge.edged.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Edged's configuration, PID {@code dev.kedge.edge.edged}; defaults are edgecore.yaml's {@code modules.edged} and
 * its tailored kubelet configuration.
 */
@ObjectClassDefinition(name = "Kedge Edged", description = "Edge node agent: registration, node status, lease")
public @interface EdgedConfig {

    @AttributeDefinition(description = "Node name; empty = EdgeHub's node name, else this host's name")
    String nodeName() default "";

    @AttributeDefinition(name = "nodeIP", description = "InternalIP address; empty = first non-loopback IPv4")
    String nodeIP() default "";

    @AttributeDefinition(description = "Extra node labels, k=v,k2=v2")
    String nodeLabels() default "";

    @AttributeDefinition(description = "Pod capacity of the node")
    int maxPods() default 110;

    @AttributeDefinition(description = "Seconds between node status computations; sent only when it changed")
    int nodeStatusUpdateFrequency() default 10;

    @AttributeDefinition(description = "Seconds after which the node status is sent even if unchanged")
    int nodeStatusReportFrequency() default 300;

    @AttributeDefinition(description = "Lease duration in seconds; the lease is renewed every quarter of it")
    int nodeLeaseDurationSeconds() default 40;

    @AttributeDefinition(description = "Seconds to wait for MetaManager's answer to a registration or lease renewal")
    int syncTimeout() default 10;

    @AttributeDefinition(description = "First registration retry delay in milliseconds; doubles per failure")
    int registerRetryMinMs() default 100;

    @AttributeDefinition(description = "Longest registration retry delay in milliseconds")
    int registerRetryMaxMs() default 7000;

    @AttributeDefinition(description = "Resources held back for the system, e.g. cpu=100m,memory=256Mi,ephemeral-storage=1Gi")
    String systemReserved() default "";

    @AttributeDefinition(description = "Resources held back for Kedge itself, same form as systemReserved")
    String kubeReserved() default "";

    @AttributeDefinition(description = "Directory whose file store is the node's ephemeral storage; empty = karaf.data")
    String rootDirectory() default "";

    @AttributeDefinition(description = "MemoryPressure when less memory is available, in MiB (kubelet memory.available)")
    int memoryPressureMi() default 100;

    @AttributeDefinition(description = "DiskPressure when less of the file store is free, in percent (nodefs.available)")
    int diskPressurePercent() default 10;

    @AttributeDefinition(description = "PIDPressure when fewer process IDs are free, in percent of pid_max")
    int pidPressurePercent() default 10;

    // ---- pods (KubeEdge's modules.edged / tailored kubelet names); the CRI bundle reads the endpoints from this PID

    @AttributeDefinition(description = "CRI runtime endpoint (read by the CRI bundle from this PID)")
    String remoteRuntimeEndpoint() default "unix:///run/containerd/containerd.sock";

    @AttributeDefinition(description = "CRI image endpoint (read by the CRI bundle from this PID)")
    String remoteImageEndpoint() default "unix:///run/containerd/containerd.sock";

    @AttributeDefinition(description = "Seconds an image pull or a sandbox run/stop/remove may take (read by the CRI bundle)")
    int runtimeRequestTimeout() default 120;

    @AttributeDefinition(description = "Seconds every other CRI call may take (read by the CRI bundle)")
    int criCallTimeout() default 10;

    @AttributeDefinition(description = "Pause image; containerd's CRI uses its own sandbox_image, this is informative")
    String podSandboxImage() default "kubeedge/pause:3.6";

    @AttributeDefinition(description = "cgroup driver of the runtime: cgroupfs or systemd")
    String cgroupDriver() default "cgroupfs";

    @AttributeDefinition(description = "Exited containers kept per pod container (kubelet MaxPerPodContainer)")
    int maxPerPodContainerCount() default 1;

    @AttributeDefinition(description = "Exited containers kept on the node in total; -1 = no limit")
    int maxContainerCount() default -1;

    @AttributeDefinition(description = "Root of the containers' log files, <dir>/<ns>_<pod>_<uid>/<container>/<n>.log")
    String podLogsRootDirectory() default "/var/log/pods";

    @AttributeDefinition(description = "Milliseconds between listings of the runtime's sandboxes and containers")
    int relistPeriodMs() default 1000;

    @AttributeDefinition(description = "Milliseconds between listings while the node has no pod, desired or found "
            + "(a pod arriving is listed at once); at least relistPeriodMs")
    int relistIdlePeriodMs() default 5000;

    @AttributeDefinition(description = "Milliseconds between listings while the runtime's events arrive "
            + "(containerd's event service): an event lists at once; at least relistPeriodMs")
    int relistEventedPeriodMs() default 60000;

    @AttributeDefinition(description = "Threads that sync pods and run probes (at most; idle ones end)")
    int podWorkers() default 8;
}
