package dev.kedge.edge.cri;

import java.util.List;
import java.util.Map;

/**
 * What a pod sandbox is created from (CRI {@code PodSandboxConfig}). {@code hostname} must be empty for
 * hostNetwork pods; {@code logDirectory} is where the containers' log files go ({@code /var/log/pods/<ns>_<name>_<uid>}).
 * The labels should carry the pod's identity ({@code io.kubernetes.pod.name}, {@code …namespace}, {@code …uid}) so a
 * restarted Edged can adopt what it finds. {@code privileged} must be true when any of the pod's containers is
 * privileged (kubelet: {@code LinuxSandboxSecurityContext.privileged}); containerd refuses them otherwise.
 */
public record SandboxSpec(String name, String namespace, String uid, int attempt, String hostname,
        String logDirectory, boolean hostNetwork, Map<String, String> labels, Map<String, String> annotations,
        List<PortMapping> portMappings, String cgroupParent, List<String> dnsServers, List<String> dnsSearches,
        List<String> dnsOptions, boolean privileged) {

    /** A sandbox without privileged containers (the runtime refuses a privileged container in it). */
    public SandboxSpec(String name, String namespace, String uid, int attempt, String hostname, String logDirectory,
            boolean hostNetwork, Map<String, String> labels, Map<String, String> annotations,
            List<PortMapping> portMappings, String cgroupParent, List<String> dnsServers, List<String> dnsSearches,
            List<String> dnsOptions) {
        this(name, namespace, uid, attempt, hostname, logDirectory, hostNetwork, labels, annotations, portMappings,
                cgroupParent, dnsServers, dnsSearches, dnsOptions, false);
    }
}
