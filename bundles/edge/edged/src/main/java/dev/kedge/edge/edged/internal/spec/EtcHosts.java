package dev.kedge.edge.edged.internal.spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kubelet's managed {@code /etc/hosts} ({@code <podDir>/etc-hosts}): for pod-network pods the localhost lines and the
 * pod's IP with its hostname; for hostNetwork pods a copy of the node's file. {@code hostAliases} are appended to both.
 * Rewritten (atomically, by rename) on each container start so an IP change is picked up.
 */
final class EtcHosts {
    static final String FILE = "etc-hosts";

    private EtcHosts() {
    }

    static Path write(Path podDir, JsonNode pod, String podIP, Path nodeHosts) throws PodSpecException {
        JsonNode spec = pod.path("spec");
        StringBuilder text = new StringBuilder();
        if (PodJson.bool(spec, "hostNetwork")) {
            text.append("# Kubernetes-managed hosts file (host network).\n");
            try {
                text.append(Files.readString(nodeHosts));
            } catch (IOException e) {
                text.append("127.0.0.1\tlocalhost\n");
            }
            if (text.charAt(text.length() - 1) != '\n') {
                text.append('\n');
            }
        } else {
            text.append("# Kubernetes-managed hosts file.\n")
                    .append("127.0.0.1\tlocalhost\n")
                    .append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                    .append("fe00::0\tip6-localnet\n")
                    .append("fe00::0\tip6-mcastprefix\n")
                    .append("fe00::1\tip6-allnodes\n")
                    .append("fe00::2\tip6-allrouters\n");
            String hostname = PodJson.text(spec, "hostname");
            if (hostname.isEmpty()) {
                hostname = PodJson.name(pod);
            }
            String subdomain = PodJson.text(spec, "subdomain");
            text.append(podIP).append('\t');
            if (!subdomain.isEmpty()) {
                text.append(hostname).append('.').append(subdomain).append('.').append(PodJson.namespace(pod))
                        .append(".svc.cluster.local\t");
            }
            text.append(hostname).append('\n');
        }
        JsonNode aliases = spec.path("hostAliases");
        if (aliases.size() > 0) {
            text.append("\n# Entries added by HostAliases.\n");
            for (JsonNode a : aliases) {
                text.append(PodJson.text(a, "ip"));
                for (JsonNode h : a.path("hostnames")) {
                    text.append('\t').append(h.asText());
                }
                text.append('\n');
            }
        }
        try {
            Files.createDirectories(podDir);
            Path file = podDir.resolve(FILE);
            Path tmp = podDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, text.toString(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(tmp, AtomicWriter.permissions(0644));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new PodSpecException(PodSpecException.CREATE_ERROR, "cannot write the pod's hosts file: " + e);
        }
    }
}
