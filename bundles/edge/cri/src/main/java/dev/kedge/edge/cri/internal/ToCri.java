package dev.kedge.edge.cri.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.internal.wire.ProtoWriter;

/**
 * Kedge's specs to CRI messages, the way kubelet's kuberuntime fills them. Field numbers are those of
 * {@code src/main/proto/cri.proto} (the message named in each method's comment); CriCodecTest checks them against
 * protoc's classes.
 */
final class ToCri {
    // NamespaceMode
    static final int POD = 0;
    static final int CONTAINER = 1;
    static final int NODE = 2;
    // Protocol
    static final int TCP = 0;
    static final int UDP = 1;
    static final int SCTP = 2;

    private ToCri() {
    }

    /** PodSandboxConfig. */
    static ProtoWriter sandbox(SandboxSpec s) {
        ProtoWriter b = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, s.name()).string(2, s.uid()).string(3, s.namespace())
                        .uint32(4, s.attempt()))
                // a sandbox in the node's network namespace must not set a hostname (the runtime rejects it)
                .string(2, s.hostNetwork() ? "" : s.hostname())
                .string(3, s.logDirectory());
        if (!list(s.dnsServers()).isEmpty() || !list(s.dnsSearches()).isEmpty() || !list(s.dnsOptions()).isEmpty()) {
            b.message(4, new ProtoWriter().strings(1, list(s.dnsServers())).strings(2, list(s.dnsSearches()))
                    .strings(3, list(s.dnsOptions())));
        }
        for (dev.kedge.edge.cri.PortMapping p : list(s.portMappings())) {
            b.message(5, new ProtoWriter().int64(1, protocol(p.protocol())).int64(2, p.containerPort())
                    .int64(3, p.hostPort()).string(4, p.hostIp()));
        }
        b.map(6, map(s.labels())).map(7, map(s.annotations()));
        // LinuxPodSandboxConfig: cgroup_parent 1, security_context 2 (LinuxSandboxSecurityContext)
        ProtoWriter security = new ProtoWriter().message(1, namespaces(network(s), POD, POD)).bool(6, s.privileged());
        ProtoWriter linux = new ProtoWriter();
        if (s.cgroupParent() != null && !s.cgroupParent().isBlank()) {
            linux.string(1, s.cgroupParent());
        }
        return b.message(8, linux.message(2, security));
    }

    /** ContainerConfig. */
    static ProtoWriter container(ContainerSpec c, SandboxSpec sandbox) {
        ProtoWriter b = new ProtoWriter()
                .message(1, new ProtoWriter().string(1, c.name()).uint32(2, c.attempt()))
                .message(2, image(c.image()))
                .strings(3, list(c.command()))
                .strings(4, list(c.args()))
                .string(5, c.workingDir());
        for (dev.kedge.edge.cri.KeyValue e : list(c.env())) {
            b.message(6, new ProtoWriter().string(1, e.key()).string(2, e.value()));
        }
        for (dev.kedge.edge.cri.Mount m : list(c.mounts())) {
            b.message(7, new ProtoWriter().string(1, m.containerPath()).string(2, m.hostPath()).bool(3, m.readOnly()));
        }
        b.map(9, map(c.labels())).map(10, map(c.annotations())).string(11, c.logPath())
                .bool(12, c.stdin()).bool(14, c.tty());
        // LinuxContainerSecurityContext; kubelet's v1 pods: own PID namespace per container, the sandbox's
        // network and IPC
        ProtoWriter security = new ProtoWriter().bool(2, c.privileged())
                .message(3, namespaces(network(sandbox), CONTAINER, POD));
        if (c.runAsUser() != null) {
            security.message(5, new ProtoWriter().int64(1, c.runAsUser()));
        }
        security.bool(7, c.readOnlyRootFilesystem());
        LinuxResources r = c.resources() == null ? LinuxResources.NONE : c.resources();
        // LinuxContainerResources
        ProtoWriter resources = new ProtoWriter().int64(1, r.cpuPeriod()).int64(2, r.cpuQuota())
                .int64(3, r.cpuShares()).int64(4, r.memoryLimitBytes()).int64(5, r.oomScoreAdj());
        // LinuxContainerConfig: resources 1, security_context 2
        return b.message(15, new ProtoWriter().message(1, resources).message(2, security));
    }

    /** AuthConfig. */
    static ProtoWriter auth(RegistryAuth a) {
        return new ProtoWriter().string(1, a.username()).string(2, a.password()).string(3, a.auth())
                .string(4, a.serverAddress()).string(5, a.identityToken()).string(6, a.registryToken());
    }

    /** ImageSpec. */
    static ProtoWriter image(String image) {
        return new ProtoWriter().string(1, image);
    }

    /** NamespaceOption. */
    private static ProtoWriter namespaces(int network, int pid, int ipc) {
        return new ProtoWriter().int64(1, network).int64(2, pid).int64(3, ipc);
    }

    private static int network(SandboxSpec s) {
        return s != null && s.hostNetwork() ? NODE : POD;
    }

    /** TCP, UDP or SCTP as in a pod spec; anything else is a bug of the caller, not a silent TCP. */
    static int protocol(String name) {
        String p = name == null || name.isBlank() ? "TCP" : name.strip().toUpperCase(Locale.ROOT);
        switch (p) {
            case "TCP": return TCP;
            case "UDP": return UDP;
            case "SCTP": return SCTP;
            default: throw new IllegalArgumentException("port protocol \"" + name + "\" is not TCP, UDP or SCTP");
        }
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    private static Map<String, String> map(Map<String, String> m) {
        return m == null ? Map.of() : m;
    }
}
