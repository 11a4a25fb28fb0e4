package dev.kedge.edge.cri;

import java.util.List;

/** A sandbox's status: its state and IPs (empty for hostNetwork pods: their IP is the host's). */
public record SandboxStatus(SandboxInfo info, String ip, List<String> additionalIps, boolean hostNetwork) {
}
