package dev.kedge.edge.cri;

import java.util.List;
import java.util.Map;

/**
 * What a pod sandbox is created from (CRI {@code PodSandboxConfig}). {@code hostname} must be empty for
 * hostNetwork pods; {@code logDirectory} is where the containers' log files go ({@code /var/log/pods/<ns>_<name>_<uid>}).
 * The labels should carry the pod's identity ({@code io.kubernetes.pod.name}, {@code …namespace}, {@code …uid}) so a
 * restarted Edged can adopt what it finds.
 */
public record SandboxSpec(String name, String namespace, String uid, int attempt, String hostname,
        String logDirectory, boolean hostNetwork, Map<String, String> labels, Map<String, String> annotations,
        List<PortMapping> portMappings, String cgroupParent, List<String> dnsServers, List<String> dnsSearches,
        List<String> dnsOptions) {
}
