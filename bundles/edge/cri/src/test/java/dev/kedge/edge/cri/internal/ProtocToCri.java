package dev.kedge.edge.cri.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.internal.proto.AuthConfig;
import dev.kedge.edge.cri.internal.proto.ContainerConfig;
import dev.kedge.edge.cri.internal.proto.ContainerMetadata;
import dev.kedge.edge.cri.internal.proto.DNSConfig;
import dev.kedge.edge.cri.internal.proto.ImageSpec;
import dev.kedge.edge.cri.internal.proto.Int64Value;
import dev.kedge.edge.cri.internal.proto.LinuxContainerConfig;
import dev.kedge.edge.cri.internal.proto.LinuxContainerResources;
import dev.kedge.edge.cri.internal.proto.LinuxContainerSecurityContext;
import dev.kedge.edge.cri.internal.proto.LinuxPodSandboxConfig;
import dev.kedge.edge.cri.internal.proto.LinuxSandboxSecurityContext;
import dev.kedge.edge.cri.internal.proto.NamespaceMode;
import dev.kedge.edge.cri.internal.proto.NamespaceOption;
import dev.kedge.edge.cri.internal.proto.PodSandboxConfig;
import dev.kedge.edge.cri.internal.proto.PodSandboxMetadata;
import dev.kedge.edge.cri.internal.proto.Protocol;

/**
 * The CRI client's former encoder, on protoc's builders: the reference the codec's requests are checked against
 * (CriCodecTest). Kedge's specs to CRI messages, the way kubelet's kuberuntime fills them.
 */
final class ProtocToCri {

    private ProtocToCri() {
    }

    static PodSandboxConfig sandbox(SandboxSpec s) {
        PodSandboxConfig.Builder b = PodSandboxConfig.newBuilder()
                .setMetadata(PodSandboxMetadata.newBuilder().setName(s.name()).setNamespace(s.namespace())
                        .setUid(s.uid()).setAttempt(s.attempt()))
                // a sandbox in the node's network namespace must not set a hostname (the runtime rejects it)
                .setHostname(s.hostNetwork() ? "" : text(s.hostname()))
                .setLogDirectory(text(s.logDirectory()))
                .putAllLabels(map(s.labels()))
                .putAllAnnotations(map(s.annotations()));
        if (!list(s.dnsServers()).isEmpty() || !list(s.dnsSearches()).isEmpty() || !list(s.dnsOptions()).isEmpty()) {
            b.setDnsConfig(DNSConfig.newBuilder().addAllServers(list(s.dnsServers()))
                    .addAllSearches(list(s.dnsSearches())).addAllOptions(list(s.dnsOptions())));
        }
        for (dev.kedge.edge.cri.PortMapping p : list(s.portMappings())) {
            b.addPortMappings(dev.kedge.edge.cri.internal.proto.PortMapping.newBuilder()
                    .setProtocol(protocol(p.protocol())).setContainerPort(p.containerPort())
                    .setHostPort(p.hostPort()).setHostIp(text(p.hostIp())));
        }
        LinuxPodSandboxConfig.Builder linux = LinuxPodSandboxConfig.newBuilder()
                .setSecurityContext(LinuxSandboxSecurityContext.newBuilder().setPrivileged(s.privileged())
                        .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(network(s))
                                .setPid(NamespaceMode.POD).setIpc(NamespaceMode.POD)));
        if (s.cgroupParent() != null && !s.cgroupParent().isBlank()) {
            linux.setCgroupParent(s.cgroupParent());
        }
        return b.setLinux(linux).build();
    }

    static ContainerConfig container(ContainerSpec c, SandboxSpec sandbox) {
        ContainerConfig.Builder b = ContainerConfig.newBuilder()
                .setMetadata(ContainerMetadata.newBuilder().setName(c.name()).setAttempt(c.attempt()))
                .setImage(ImageSpec.newBuilder().setImage(c.image()))
                .addAllCommand(list(c.command()))
                .addAllArgs(list(c.args()))
                .setWorkingDir(text(c.workingDir()))
                .putAllLabels(map(c.labels()))
                .putAllAnnotations(map(c.annotations()))
                .setLogPath(text(c.logPath()))
                .setTty(c.tty())
                .setStdin(c.stdin());
        for (dev.kedge.edge.cri.KeyValue e : list(c.env())) {
            b.addEnvs(dev.kedge.edge.cri.internal.proto.KeyValue.newBuilder().setKey(e.key())
                    .setValue(text(e.value())));
        }
        for (dev.kedge.edge.cri.Mount m : list(c.mounts())) {
            b.addMounts(dev.kedge.edge.cri.internal.proto.Mount.newBuilder().setContainerPath(m.containerPath())
                    .setHostPath(m.hostPath()).setReadonly(m.readOnly()));
        }
        LinuxContainerSecurityContext.Builder security = LinuxContainerSecurityContext.newBuilder()
                .setPrivileged(c.privileged())
                .setReadonlyRootfs(c.readOnlyRootFilesystem())
                // kubelet's v1 pods: own PID namespace per container, the sandbox's network and IPC
                .setNamespaceOptions(NamespaceOption.newBuilder().setNetwork(network(sandbox))
                        .setPid(NamespaceMode.CONTAINER).setIpc(NamespaceMode.POD));
        if (c.runAsUser() != null) {
            security.setRunAsUser(Int64Value.newBuilder().setValue(c.runAsUser()));
        }
        LinuxResources r = c.resources() == null ? LinuxResources.NONE : c.resources();
        return b.setLinux(LinuxContainerConfig.newBuilder().setSecurityContext(security)
                .setResources(LinuxContainerResources.newBuilder().setCpuShares(r.cpuShares())
                        .setCpuQuota(r.cpuQuota()).setCpuPeriod(r.cpuPeriod())
                        .setMemoryLimitInBytes(r.memoryLimitBytes()).setOomScoreAdj(r.oomScoreAdj())))
                .build();
    }

    static AuthConfig auth(RegistryAuth a) {
        return AuthConfig.newBuilder().setUsername(text(a.username())).setPassword(text(a.password()))
                .setAuth(text(a.auth())).setServerAddress(text(a.serverAddress()))
                .setIdentityToken(text(a.identityToken())).setRegistryToken(text(a.registryToken())).build();
    }

    static ImageSpec image(String image) {
        return ImageSpec.newBuilder().setImage(image).build();
    }

    private static NamespaceMode network(SandboxSpec s) {
        return s != null && s.hostNetwork() ? NamespaceMode.NODE : NamespaceMode.POD;
    }

    /** TCP, UDP or SCTP as in a pod spec; anything else is a bug of the caller, not a silent TCP. */
    static Protocol protocol(String name) {
        String p = name == null || name.isBlank() ? "TCP" : name.strip().toUpperCase(Locale.ROOT);
        switch (p) {
            case "TCP": return Protocol.TCP;
            case "UDP": return Protocol.UDP;
            case "SCTP": return Protocol.SCTP;
            default: throw new IllegalArgumentException("port protocol \"" + name + "\" is not TCP, UDP or SCTP");
        }
    }

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
