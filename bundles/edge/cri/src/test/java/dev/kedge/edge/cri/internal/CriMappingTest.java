package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.InvalidProtocolBufferException;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.Mount;
import dev.kedge.edge.cri.PortMapping;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.proto.Container;
import dev.kedge.edge.cri.internal.proto.ContainerConfig;
import dev.kedge.edge.cri.internal.proto.ContainerMetadata;
import dev.kedge.edge.cri.internal.proto.ImageSpec;
import dev.kedge.edge.cri.internal.proto.LinuxPodSandboxStatus;
import dev.kedge.edge.cri.internal.proto.Namespace;
import dev.kedge.edge.cri.internal.proto.NamespaceMode;
import dev.kedge.edge.cri.internal.proto.NamespaceOption;
import dev.kedge.edge.cri.internal.proto.PodIP;
import dev.kedge.edge.cri.internal.proto.PodSandboxConfig;
import dev.kedge.edge.cri.internal.proto.PodSandboxMetadata;
import dev.kedge.edge.cri.internal.proto.PodSandboxNetworkStatus;
import dev.kedge.edge.cri.internal.proto.PodSandboxState;
import dev.kedge.edge.cri.internal.proto.Protocol;
import dev.kedge.edge.cri.internal.proto.RuntimeCondition;
import dev.kedge.edge.cri.internal.proto.StatusResponse;
import dev.kedge.edge.cri.internal.wire.ProtoReader;

/** Kedge's specs to CRI messages and back, read (and built) with protoc's classes as the independent side. */
class CriMappingTest {

    static SandboxSpec sandbox(boolean hostNetwork) {
        return new SandboxSpec("web", "default", "uid-1", 2, "web-host", "/var/log/pods/default_web_uid-1",
                hostNetwork, Map.of("io.kubernetes.pod.name", "web"), Map.of("note", "x"),
                List.of(new PortMapping("udp", 53, 1053, "127.0.0.1")), "/kubepods/pod-uid-1",
                List.of("10.0.0.10"), List.of("svc.cluster.local"), List.of("ndots:5"));
    }

    @Test
    void hostNetworkSandboxUsesNodeNetworkAndNoHostname() throws Exception {
        PodSandboxConfig c = sandboxConfig(sandbox(true));
        assertEquals(PodSandboxMetadata.newBuilder().setName("web").setNamespace("default").setUid("uid-1")
                .setAttempt(2).build(), c.getMetadata());
        assertEquals("", c.getHostname());
        NamespaceOption ns = c.getLinux().getSecurityContext().getNamespaceOptions();
        assertEquals(NamespaceMode.NODE, ns.getNetwork());
        assertEquals(NamespaceMode.POD, ns.getPid());
        assertEquals(NamespaceMode.POD, ns.getIpc());
        assertEquals("/var/log/pods/default_web_uid-1", c.getLogDirectory());
        assertEquals("/kubepods/pod-uid-1", c.getLinux().getCgroupParent());
        assertEquals(List.of("10.0.0.10"), c.getDnsConfig().getServersList());
        assertEquals(List.of("svc.cluster.local"), c.getDnsConfig().getSearchesList());
        assertEquals(List.of("ndots:5"), c.getDnsConfig().getOptionsList());
        assertEquals(Protocol.UDP, c.getPortMappings(0).getProtocol());
        assertEquals(1053, c.getPortMappings(0).getHostPort());
        assertEquals("127.0.0.1", c.getPortMappings(0).getHostIp());
        assertEquals("web", c.getLabelsMap().get("io.kubernetes.pod.name"));
        assertEquals("x", c.getAnnotationsMap().get("note"));
    }

    @Test
    void podNetworkSandboxKeepsHostname() throws Exception {
        PodSandboxConfig c = sandboxConfig(sandbox(false));
        assertEquals("web-host", c.getHostname());
        assertEquals(NamespaceMode.POD, c.getLinux().getSecurityContext().getNamespaceOptions().getNetwork());
        assertFalse(c.getLinux().getSecurityContext().getPrivileged());
        SandboxSpec s = sandbox(false);
        SandboxSpec privileged = new SandboxSpec(s.name(), s.namespace(), s.uid(), s.attempt(), s.hostname(),
                s.logDirectory(), false, s.labels(), s.annotations(), s.portMappings(), s.cgroupParent(),
                s.dnsServers(), s.dnsSearches(), s.dnsOptions(), true);
        assertTrue(sandboxConfig(privileged).getLinux().getSecurityContext().getPrivileged());
    }

    @Test
    void containerConfigCarriesEverything() throws Exception {
        ContainerSpec spec = new ContainerSpec("app", 3, "sha256:abc", List.of("sh", "-c"), List.of("echo hi"),
                "/work", List.of(new KeyValue("A", "1"), new KeyValue("B", "$(A)")),
                List.of(new Mount("/data", "/var/lib/kedge/v", true)), Map.of("l", "1"), Map.of("a", "2"),
                "app/3.log", new LinuxResources(102, 50000, 100000, 64L << 20, 1000), 1000L, true, true, true, true);
        ContainerConfig c = containerConfig(spec, sandbox(true));
        assertEquals(ContainerMetadata.newBuilder().setName("app").setAttempt(3).build(), c.getMetadata());
        assertEquals("sha256:abc", c.getImage().getImage());
        assertEquals(List.of("sh", "-c"), c.getCommandList());
        assertEquals(List.of("echo hi"), c.getArgsList());
        assertEquals("/work", c.getWorkingDir());
        assertEquals("B", c.getEnvs(1).getKey());
        assertEquals("$(A)", c.getEnvs(1).getValue());
        assertEquals("/var/lib/kedge/v", c.getMounts(0).getHostPath());
        assertTrue(c.getMounts(0).getReadonly());
        assertEquals("app/3.log", c.getLogPath());
        assertTrue(c.getTty());
        assertTrue(c.getStdin());
        assertEquals(102, c.getLinux().getResources().getCpuShares());
        assertEquals(50000, c.getLinux().getResources().getCpuQuota());
        assertEquals(100000, c.getLinux().getResources().getCpuPeriod());
        assertEquals(64L << 20, c.getLinux().getResources().getMemoryLimitInBytes());
        assertEquals(1000, c.getLinux().getResources().getOomScoreAdj());
        assertEquals(1000, c.getLinux().getSecurityContext().getRunAsUser().getValue());
        assertTrue(c.getLinux().getSecurityContext().getPrivileged());
        assertTrue(c.getLinux().getSecurityContext().getReadonlyRootfs());
        NamespaceOption ns = c.getLinux().getSecurityContext().getNamespaceOptions();
        assertEquals(NamespaceMode.NODE, ns.getNetwork());
        assertEquals(NamespaceMode.CONTAINER, ns.getPid());
    }

    @Test
    void imageUserIsKeptWhenRunAsUserIsUnset() throws Exception {
        ContainerSpec spec = new ContainerSpec("app", 0, "img", null, null, null, null, null, null, null, null,
                null, null, false, false, false, false);
        ContainerConfig c = containerConfig(spec, sandbox(false));
        assertFalse(c.getLinux().getSecurityContext().hasRunAsUser());
        assertEquals(NamespaceMode.POD, c.getLinux().getSecurityContext().getNamespaceOptions().getNetwork());
    }

    @Test
    void unknownProtocolIsRefused() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> ToCri.protocol("ICMP"));
        assertEquals(Protocol.TCP.getNumber(), ToCri.protocol(null));
        assertEquals(Protocol.SCTP.getNumber(), ToCri.protocol(" sctp"));
    }

    @Test
    void containerAndSandboxRecords() throws Exception {
        ContainerInfo c = ContainerFromCri.container(reader(Container.newBuilder().setId("c1").setPodSandboxId("s1")
                .setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(1))
                .setImage(ImageSpec.newBuilder().setImage("busybox")).setImageRef("sha256:1")
                .setState(dev.kedge.edge.cri.internal.proto.ContainerState.CONTAINER_EXITED).setCreatedAt(42)
                .putLabels("k", "v").build()));
        assertEquals(new ContainerInfo("c1", "s1", "app", 1, "busybox", "sha256:1", ContainerState.EXITED, 42,
                Map.of("k", "v"), Map.of()), c);
        SandboxStatus s = SandboxFromCri.sandboxStatus(reader(dev.kedge.edge.cri.internal.proto.PodSandboxStatus
                .newBuilder()
                .setId("s1").setMetadata(PodSandboxMetadata.newBuilder().setName("web").setNamespace("ns")
                        .setUid("u").setAttempt(1))
                .setState(PodSandboxState.SANDBOX_NOTREADY).setCreatedAt(7)
                .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp("10.1.0.5")
                        .addAdditionalIps(PodIP.newBuilder().setIp("fd00::5")))
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder()
                        .setOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
                .build()));
        assertEquals(SandboxState.NOTREADY, s.info().state());
        assertEquals("ns", s.info().namespace());
        assertEquals("10.1.0.5", s.ip());
        assertEquals(List.of("fd00::5"), s.additionalIps());
        assertTrue(s.hostNetwork());
    }

    @Test
    void statusReasonIsTheFirstFailingCondition() throws Exception {
        RuntimeStatus s = CriResponses.status(reader(StatusResponse.newBuilder().setStatus(
                dev.kedge.edge.cri.internal.proto.RuntimeStatus.newBuilder()
                        .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                        .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(false)
                                .setReason("NetworkPluginNotReady").setMessage("cni config uninitialized")))
                .build()));
        assertEquals(new RuntimeStatus(true, false, "NetworkPluginNotReady", "cni config uninitialized"), s);
    }

    @Test
    void execOutputIsCutAtOneMebibyte() throws Exception {
        byte[] big = new byte[FromCri.MAX_EXEC_OUTPUT_BYTES + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        assertEquals(FromCri.MAX_EXEC_OUTPUT_BYTES, FromCri.output(big).length());
        assertEquals("hi\n", FromCri.output("hi\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    static PodSandboxConfig sandboxConfig(SandboxSpec s) throws InvalidProtocolBufferException {
        return PodSandboxConfig.parseFrom(ToCri.sandbox(s).toByteArray());
    }

    static ContainerConfig containerConfig(ContainerSpec c, SandboxSpec s) throws InvalidProtocolBufferException {
        return ContainerConfig.parseFrom(ToCri.container(c, s).toByteArray());
    }

    static ProtoReader reader(com.google.protobuf.MessageLite m) {
        return new ProtoReader(m.toByteArray());
    }
}
