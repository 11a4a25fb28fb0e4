package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Edged's validated configuration.
 *
 * @param nodeName       configured node name; empty = ask EdgeHub, then the host name
 * @param nodeIP         configured InternalIP; empty = detect
 * @param nodeLabels     extra labels from {@code nodeLabels}
 * @param reserved       systemReserved + kubeReserved, by resource (cpu in millicores, the rest in units)
 * @param kubeletVersion what the Node reports as {@code nodeInfo.kubeletVersion}
 * @param pods           the pod lifecycle's settings
 */
record EdgedSettings(String nodeName, String nodeIP, Map<String, String> nodeLabels, int maxPods,
        Duration statusUpdate, Duration statusReport, int leaseDurationSeconds, Duration syncTimeout,
        Duration registerRetryMin, Duration registerRetryMax, Reserved reserved, Path rootDirectory,
        long memoryPressureBytes, int diskPressurePercent, int pidPressurePercent, String kubeletVersion,
        PodSettings pods) {

    /** The Kubernetes version KubeEdge's kubelet fork reports in front of its own (see kubeedge.md §7). */
    static final String KUBE_VERSION = "v1.20.2";
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    /** Resources held back from allocatable. */
    record Reserved(long cpuMillis, long memoryBytes, long storageBytes, long pods) {
    }

    /** Validates {@code c}; throws IllegalArgumentException naming the bad setting. */
    static EdgedSettings of(EdgedConfig c, String bundleVersion) {
        String node = c.nodeName() == null ? "" : c.nodeName().strip();
        if (!node.isEmpty()) {
            checkNodeName(node);
        }
        Map<String, String> labels = Quantities.list(c.nodeLabels(), "nodeLabels");
        labels.forEach((k, v) -> {
            if (!LABEL_KEY.matcher(k).matches() || !LABEL_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("nodeLabels: \"" + k + "=" + v + "\" is not a valid label");
            }
        });
        positive(c.maxPods(), "maxPods");
        positive(c.nodeStatusUpdateFrequency(), "nodeStatusUpdateFrequency");
        positive(c.nodeStatusReportFrequency(), "nodeStatusReportFrequency");
        positive(c.nodeLeaseDurationSeconds(), "nodeLeaseDurationSeconds");
        positive(c.syncTimeout(), "syncTimeout");
        positive(c.registerRetryMinMs(), "registerRetryMinMs");
        percent(c.diskPressurePercent(), "diskPressurePercent");
        percent(c.pidPressurePercent(), "pidPressurePercent");
        String root = c.rootDirectory() == null || c.rootDirectory().isBlank()
                ? System.getProperty("karaf.data", System.getProperty("java.io.tmpdir")) : c.rootDirectory().strip();
        return new EdgedSettings(node, c.nodeIP() == null ? "" : c.nodeIP().strip(), Map.copyOf(labels), c.maxPods(),
                Duration.ofSeconds(c.nodeStatusUpdateFrequency()), Duration.ofSeconds(c.nodeStatusReportFrequency()),
                c.nodeLeaseDurationSeconds(), Duration.ofSeconds(c.syncTimeout()),
                Duration.ofMillis(c.registerRetryMinMs()),
                Duration.ofMillis(Math.max(c.registerRetryMinMs(), c.registerRetryMaxMs())),
                reserved(c.systemReserved(), c.kubeReserved()), Path.of(root),
                Math.max(0, c.memoryPressureMi()) * 1024L * 1024L, c.diskPressurePercent(), c.pidPressurePercent(),
                KUBE_VERSION + "-kedge-" + bundleVersion, PodSettings.of(c, Path.of(root)));
    }

    /** Lease renewals come at a quarter of the lease duration, as the kubelet does (40 s → 10 s). */
    Duration leaseRenewInterval() {
        return Duration.ofMillis(Math.max(1, leaseDurationSeconds * 1000L / 4));
    }

    /** Throws unless {@code name} is a valid Kubernetes node name (a lower-case DNS subdomain). */
    static String checkNodeName(String name) {
        if (name.length() > 253 || !NODE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name \"" + name
                    + "\" is not a lower-case DNS subdomain (a-z, 0-9, '-', '.'; at most 253 characters)");
        }
        return name;
    }

    private static Reserved reserved(String system, String kube) {
        long cpu = 0, memory = 0, storage = 0, pods = 0;
        for (String text : new String[] {system, kube}) {
            for (Map.Entry<String, String> e : Quantities.list(text, "reserved resources").entrySet()) {
                switch (e.getKey()) {
                    case "cpu" -> cpu += Quantities.milli(e.getValue());
                    case "memory" -> memory += Quantities.units(e.getValue());
                    case "ephemeral-storage" -> storage += Quantities.units(e.getValue());
                    case "pods" -> pods += Quantities.units(e.getValue());
                    default -> throw new IllegalArgumentException("cannot reserve \"" + e.getKey()
                            + "\": only cpu, memory, ephemeral-storage, pods");
                }
            }
        }
        return new Reserved(cpu, memory, storage, pods);
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    private static void percent(int v, String name) {
        if (v < 0 || v > 100) {
            throw new IllegalArgumentException(name + " must be 0..100, got " + v);
        }
    }
}
