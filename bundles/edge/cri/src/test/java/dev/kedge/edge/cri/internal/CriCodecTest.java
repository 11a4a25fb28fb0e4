package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.Mount;
import dev.kedge.edge.cri.PortMapping;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.internal.proto.Container;
import dev.kedge.edge.cri.internal.proto.ContainerFilter;
import dev.kedge.edge.cri.internal.proto.ContainerMetadata;
import dev.kedge.edge.cri.internal.proto.ContainerState;
import dev.kedge.edge.cri.internal.proto.ContainerStatus;
import dev.kedge.edge.cri.internal.proto.ContainerStatusRequest;
import dev.kedge.edge.cri.internal.proto.ContainerStatusResponse;
import dev.kedge.edge.cri.internal.proto.CreateContainerRequest;
import dev.kedge.edge.cri.internal.proto.CreateContainerResponse;
import dev.kedge.edge.cri.internal.proto.ExecSyncRequest;
import dev.kedge.edge.cri.internal.proto.ExecSyncResponse;
import dev.kedge.edge.cri.internal.proto.Image;
import dev.kedge.edge.cri.internal.proto.ImageSpec;
import dev.kedge.edge.cri.internal.proto.ImageStatusRequest;
import dev.kedge.edge.cri.internal.proto.ImageStatusResponse;
import dev.kedge.edge.cri.internal.proto.Int64Value;
import dev.kedge.edge.cri.internal.proto.LinuxPodSandboxStatus;
import dev.kedge.edge.cri.internal.proto.ListContainersRequest;
import dev.kedge.edge.cri.internal.proto.ListContainersResponse;
import dev.kedge.edge.cri.internal.proto.ListImagesRequest;
import dev.kedge.edge.cri.internal.proto.ListImagesResponse;
import dev.kedge.edge.cri.internal.proto.ListPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.ListPodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.Namespace;
import dev.kedge.edge.cri.internal.proto.NamespaceMode;
import dev.kedge.edge.cri.internal.proto.NamespaceOption;
import dev.kedge.edge.cri.internal.proto.PodIP;
import dev.kedge.edge.cri.internal.proto.PodSandbox;
import dev.kedge.edge.cri.internal.proto.PodSandboxMetadata;
import dev.kedge.edge.cri.internal.proto.PodSandboxNetworkStatus;
import dev.kedge.edge.cri.internal.proto.PodSandboxState;
import dev.kedge.edge.cri.internal.proto.PodSandboxStatus;
import dev.kedge.edge.cri.internal.proto.PodSandboxStatusRequest;
import dev.kedge.edge.cri.internal.proto.PodSandboxStatusResponse;
import dev.kedge.edge.cri.internal.proto.PullImageRequest;
import dev.kedge.edge.cri.internal.proto.PullImageResponse;
import dev.kedge.edge.cri.internal.proto.RemoveContainerRequest;
import dev.kedge.edge.cri.internal.proto.RemoveImageRequest;
import dev.kedge.edge.cri.internal.proto.RemovePodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.RunPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.RunPodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.RuntimeCondition;
import dev.kedge.edge.cri.internal.proto.RuntimeStatus;
import dev.kedge.edge.cri.internal.proto.StartContainerRequest;
import dev.kedge.edge.cri.internal.proto.StatusRequest;
import dev.kedge.edge.cri.internal.proto.StatusResponse;
import dev.kedge.edge.cri.internal.proto.StopContainerRequest;
import dev.kedge.edge.cri.internal.proto.StopContainerResponse;
import dev.kedge.edge.cri.internal.proto.StopPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.VersionRequest;
import dev.kedge.edge.cri.internal.proto.VersionResponse;
import dev.kedge.edge.cri.internal.wire.Decoder;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * The codec against protoc's classes for cri.proto: every request Kedge encodes parses with protoc into the message
 * the former protoc-based encoder built (ProtocToCri), and every answer protoc serializes, with fields Kedge does not
 * model, decodes into the records the former decoder gave (ProtocFromCri).
 */
class CriCodecTest {
    private static final String UNICODE = "ü€😀";
    /** Over 2^21 bytes: a four-byte length. */
    private static final String HUGE = "v".repeat(3 * 1024 * 1024);

    // ---- specs

    static SandboxSpec fullSandbox(boolean hostNetwork) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("io.kubernetes.pod.name", "web");
        labels.put("io.kubernetes.pod.namespace", "default");
        labels.put("kedge.dev/managed-by", "edged");
        labels.put("empty", "");
        return new SandboxSpec("web", "default", "uid-1", 7, "web-" + UNICODE, "/var/log/pods/default_web_uid-1",
                hostNetwork, labels, Map.of("big", HUGE, "note", UNICODE),
                List.of(new PortMapping("udp", 53, 1053, "127.0.0.1"), new PortMapping(null, 80, 0, null),
                        new PortMapping("SCTP", 9, 9, "")),
                "/kubepods/pod-uid-1", List.of("10.0.0.10", "10.0.0.11"), List.of("svc.cluster.local", ""),
                List.of("ndots:5"), true);
    }

    static SandboxSpec emptySandbox() {
        return new SandboxSpec("", "", "", 0, null, null, false, null, null, null, null, null, null, null);
    }

    static ContainerSpec fullContainer() {
        return new ContainerSpec("app", Integer.MAX_VALUE, "sha256:abc", List.of("sh", "-c"), List.of("", "echo hi"),
                "/work", List.of(new KeyValue("A", "1"), new KeyValue("B", "$(A)"), new KeyValue("EMPTY", null)),
                List.of(new Mount("/data", "/var/lib/kedge/v", true), new Mount("/rw", "/tmp/rw", false)),
                Map.of("l", "1", "m", "2", "n", UNICODE), Map.of("a", "2", "big", HUGE), "app/3.log",
                new LinuxResources(102, 50_000, 100_000, 64L << 20, -998), 0L, true, true, true, true);
    }

    static ContainerSpec emptyContainer() {
        return new ContainerSpec("", 0, "", null, null, null, null, null, null, null, null, null, null, false, false,
                false, false);
    }

    // ---- requests: ours, parsed by protoc, equal the former encoder's (equality includes unknown fields: none)

    @Test
    void simpleRequests() throws InvalidProtocolBufferException {
        assertEquals(VersionRequest.newBuilder().setVersion("v1").build(),
                VersionRequest.parseFrom(CriRequests.version("v1")));
        assertEquals(0, CriRequests.EMPTY.length);
        assertEquals(StatusRequest.getDefaultInstance(), StatusRequest.parseFrom(CriRequests.EMPTY));
        assertEquals(ListImagesRequest.getDefaultInstance(), ListImagesRequest.parseFrom(CriRequests.EMPTY));
        assertEquals(ListPodSandboxRequest.getDefaultInstance(), ListPodSandboxRequest.parseFrom(CriRequests.EMPTY));
        for (String image : List.of("docker.io/library/kedge-busybox:1", "", UNICODE)) {
            assertEquals(ImageStatusRequest.newBuilder().setImage(ProtocToCri.image(image)).build(),
                    ImageStatusRequest.parseFrom(CriRequests.image(image)));
            assertEquals(RemoveImageRequest.newBuilder().setImage(ProtocToCri.image(image)).build(),
                    RemoveImageRequest.parseFrom(CriRequests.image(image)));
        }
        String id = "0123456789abcdef".repeat(4);
        assertEquals(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build(),
                StopPodSandboxRequest.parseFrom(CriRequests.id(id)));
        assertEquals(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build(),
                RemovePodSandboxRequest.parseFrom(CriRequests.id(id)));
        assertEquals(PodSandboxStatusRequest.newBuilder().setPodSandboxId(id).build(),
                PodSandboxStatusRequest.parseFrom(CriRequests.id(id)));
        assertEquals(StartContainerRequest.newBuilder().setContainerId(id).build(),
                StartContainerRequest.parseFrom(CriRequests.id(id)));
        assertEquals(RemoveContainerRequest.newBuilder().setContainerId(id).build(),
                RemoveContainerRequest.parseFrom(CriRequests.id(id)));
        assertEquals(ContainerStatusRequest.newBuilder().setContainerId(id).build(),
                ContainerStatusRequest.parseFrom(CriRequests.id(id)));
        assertEquals(ListContainersRequest.newBuilder().setFilter(ContainerFilter.newBuilder().setId(id)).build(),
                ListContainersRequest.parseFrom(CriRequests.listContainers(id)));
    }

    @Test
    void stopAndExecCarryTheirTimeouts() throws InvalidProtocolBufferException {
        for (long timeout : new long[] {0, 1, 30, 1L << 40, -1}) {
            assertEquals(StopContainerRequest.newBuilder().setContainerId("c").setTimeout(timeout).build(),
                    StopContainerRequest.parseFrom(CriRequests.stopContainer("c", timeout)), "" + timeout);
        }
        // a negative int64 is ten bytes: tag + length + "c", tag + 10
        assertEquals(3 + 11, CriRequests.stopContainer("c", -1).length);
        List<String> cmd = Arrays.asList("sh", "-c", "", "echo " + UNICODE);
        assertEquals(ExecSyncRequest.newBuilder().setContainerId("c").addAllCmd(cmd).setTimeout(5).build(),
                ExecSyncRequest.parseFrom(CriRequests.execSync("c", cmd, 5)));
        assertEquals(ExecSyncRequest.newBuilder().setContainerId("c").build(),
                ExecSyncRequest.parseFrom(CriRequests.execSync("c", List.of(), 0)));
    }

    @Test
    void pullImageWithAndWithoutCredentials() throws InvalidProtocolBufferException {
        assertEquals(PullImageRequest.newBuilder().setImage(ProtocToCri.image("reg/x:1")).build(),
                PullImageRequest.parseFrom(CriRequests.pullImage("reg/x:1", Optional.empty())));
        for (RegistryAuth auth : List.of(new RegistryAuth("u", "p" + UNICODE, "dTpw", "reg", "id", "tok"),
                new RegistryAuth(null, null, null, null, null, null), new RegistryAuth("u", "", null, "reg", "", ""))) {
            PullImageRequest expected = PullImageRequest.newBuilder().setImage(ProtocToCri.image("reg/x:1"))
                    .setAuth(ProtocToCri.auth(auth)).build();
            PullImageRequest ours = PullImageRequest.parseFrom(CriRequests.pullImage("reg/x:1", Optional.of(auth)));
            assertEquals(expected, ours, auth.toString());
            assertTrue(ours.hasAuth(), "credentials, even all empty, are sent as given");
        }
    }

    @Test
    void runPodSandbox() throws InvalidProtocolBufferException {
        for (SandboxSpec s : List.of(fullSandbox(true), fullSandbox(false), emptySandbox())) {
            RunPodSandboxRequest ours = RunPodSandboxRequest.parseFrom(CriRequests.runPodSandbox(s));
            assertEquals(RunPodSandboxRequest.newBuilder().setConfig(ProtocToCri.sandbox(s)).build(), ours);
        }
        RunPodSandboxRequest full = RunPodSandboxRequest.parseFrom(CriRequests.runPodSandbox(fullSandbox(false)));
        assertEquals(HUGE, full.getConfig().getAnnotationsOrThrow("big"));
        assertEquals(4, full.getConfig().getLabelsCount());
        assertEquals(3, full.getConfig().getPortMappingsCount());
        assertTrue(full.getConfig().getLinux().getSecurityContext().hasNamespaceOptions(),
                "namespace options all POD (all defaults) are still sent");
    }

    @Test
    void createContainer() throws InvalidProtocolBufferException {
        for (ContainerSpec c : List.of(fullContainer(), emptyContainer())) {
            for (SandboxSpec s : List.of(fullSandbox(true), emptySandbox())) {
                CreateContainerRequest expected = CreateContainerRequest.newBuilder().setPodSandboxId("sb")
                        .setConfig(ProtocToCri.container(c, s)).setSandboxConfig(ProtocToCri.sandbox(s)).build();
                assertEquals(expected, CreateContainerRequest.parseFrom(CriRequests.createContainer("sb", c, s)));
            }
        }
        CreateContainerRequest r = CreateContainerRequest.parseFrom(
                CriRequests.createContainer("sb", fullContainer(), fullSandbox(true)));
        // run_as_user 0 is root: present although its value is the default
        assertTrue(r.getConfig().getLinux().getSecurityContext().hasRunAsUser());
        assertEquals(0, r.getConfig().getLinux().getSecurityContext().getRunAsUser().getValue());
        assertEquals(-998, r.getConfig().getLinux().getResources().getOomScoreAdj());
        assertEquals(Integer.MAX_VALUE, r.getConfig().getMetadata().getAttempt());
        assertEquals(List.of("", "echo hi"), r.getConfig().getArgsList());
    }

    // ---- answers: protoc's bytes, with fields Kedge does not model, decode as the former decoder read them

    /** Fields of every skippable wire type, numbered past anything cri.proto has (as a newer runtime's). */
    static UnknownFieldSet extras() {
        return UnknownFieldSet.newBuilder()
                .addField(90, UnknownFieldSet.Field.newBuilder().addVarint(-1).addVarint(3).build())
                .addField(91, UnknownFieldSet.Field.newBuilder().addFixed32(0xDEADBEEF).build())
                .addField(92, UnknownFieldSet.Field.newBuilder().addFixed64(-2L).build())
                .addField(93, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("not a message {")).build())
                .addField(536_870_911, UnknownFieldSet.Field.newBuilder().addVarint(1).build())
                .build();
    }

    private static <T> T decode(Decoder<T> decoder, Message m) throws WireFormatException {
        return decoder.decode(new ProtoReader(m.toByteArray()));
    }

    @Test
    void versionAndSingleStringAnswers() throws WireFormatException {
        VersionResponse v = VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName("containerd")
                .setRuntimeVersion("v2.0.0").setRuntimeApiVersion("v1").setUnknownFields(extras()).build();
        assertEquals(new dev.kedge.edge.cri.RuntimeVersion("containerd", "v2.0.0", "v1"),
                decode(CriResponses::version, v));
        assertEquals(new dev.kedge.edge.cri.RuntimeVersion("", "", ""),
                decode(CriResponses::version, VersionResponse.getDefaultInstance()));
        assertEquals("sb1", decode(CriResponses.FIRST_STRING, RunPodSandboxResponse.newBuilder()
                .setPodSandboxId("sb1").setUnknownFields(extras()).build()));
        assertEquals("c1", decode(CriResponses.FIRST_STRING,
                CreateContainerResponse.newBuilder().setContainerId("c1").build()));
        assertEquals("sha256:" + UNICODE, decode(CriResponses.FIRST_STRING,
                PullImageResponse.newBuilder().setImageRef("sha256:" + UNICODE).build()));
        assertEquals("", decode(CriResponses.FIRST_STRING, PullImageResponse.getDefaultInstance()));
        assertNull(decode(CriResponses.NOTHING, StopContainerResponse.newBuilder().setUnknownFields(extras()).build()));
    }

    @Test
    void status() throws WireFormatException {
        StatusResponse full = StatusResponse.newBuilder().setStatus(RuntimeStatus.newBuilder()
                        .addConditions(RuntimeCondition.newBuilder().setType("Other").setStatus(false)
                                .setReason("Ignored").setUnknownFields(extras()))
                        .addConditions(RuntimeCondition.newBuilder().setType("RuntimeReady").setStatus(true))
                        .addConditions(RuntimeCondition.newBuilder().setType("NetworkReady").setStatus(false)
                                .setReason("NetworkPluginNotReady").setMessage("cni config " + UNICODE)))
                .putInfo("config", "{\"a\":1}").putInfo("more", "x")
                // runtime_handlers (3) and features (4) of newer CRI versions
                .setUnknownFields(UnknownFieldSet.newBuilder().mergeFrom(extras())
                        .addField(3, UnknownFieldSet.Field.newBuilder().addLengthDelimited(
                                VersionResponse.newBuilder().setVersion("handler").build().toByteString()).build())
                        .addField(4, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.EMPTY).build())
                        .build())
                .build();
        assertEquals(ProtocFromCri.status(full), decode(CriResponses::status, full));
        assertEquals(new dev.kedge.edge.cri.RuntimeStatus(true, false, "NetworkPluginNotReady",
                "cni config " + UNICODE), decode(CriResponses::status, full));
        // no status at all: not ready, and said so
        assertEquals(ProtocFromCri.status(StatusResponse.getDefaultInstance()),
                decode(CriResponses::status, StatusResponse.getDefaultInstance()));
        assertTrue(decode(CriResponses::status, StatusResponse.getDefaultInstance()).message().contains("no Runtime"));
    }

    static Image image(String id, int tags) {
        Image.Builder b = Image.newBuilder().setId(id).setSize(-1L) // uint64 max: Java's -1, as protoc's getter
                .setUid(Int64Value.newBuilder().setValue(-7)).setUsername("root")
                .setSpec(ImageSpec.newBuilder().setImage(id).putAnnotations("k", "v").setUserSpecifiedImage("x"))
                .setPinned(true).setUnknownFields(extras());
        for (int i = 0; i < tags; i++) {
            b.addRepoTags("reg/" + id + ":" + i).addRepoDigests("reg/" + id + "@sha256:" + i);
        }
        return b.build();
    }

    @Test
    void images() throws WireFormatException {
        Image one = image("sha256:1", 3);
        ImageStatusResponse present = ImageStatusResponse.newBuilder().setImage(one).putInfo("info", "{}").build();
        assertEquals(Optional.of(ProtocFromCri.image(one)), decode(CriResponses::imageStatus, present));
        assertEquals(3, decode(CriResponses::imageStatus, present).orElseThrow().repoTags().size());
        assertEquals(-1L, decode(CriResponses::imageStatus, present).orElseThrow().sizeBytes());
        assertEquals(Optional.empty(), decode(CriResponses::imageStatus, ImageStatusResponse.newBuilder()
                .putInfo("a", "b").setUnknownFields(extras()).build()));
        // an image message that is present but empty is an image (protoc's hasImage), all defaults
        assertEquals(Optional.of(new ImageInfo("", List.of(), List.of(), 0)), decode(CriResponses::imageStatus,
                ImageStatusResponse.newBuilder().setImage(Image.getDefaultInstance()).build()));
        ListImagesResponse list = ListImagesResponse.newBuilder().addImages(one).addImages(image("sha256:2", 0))
                .addImages(Image.getDefaultInstance()).setUnknownFields(extras()).build();
        assertEquals(list.getImagesList().stream().map(ProtocFromCri::image).toList(),
                decode(CriResponses::listImages, list));
        assertEquals(List.of(), decode(CriResponses::listImages, ListImagesResponse.getDefaultInstance()));
    }

    static PodSandboxMetadata sandboxMetadata() {
        return PodSandboxMetadata.newBuilder().setName("web").setUid("u-1").setNamespace("ns").setAttempt(3)
                .setUnknownFields(extras()).build();
    }

    static PodSandbox podSandbox(String id, int stateValue, long createdAt) {
        return PodSandbox.newBuilder().setId(id).setMetadata(sandboxMetadata()).setStateValue(stateValue)
                .setCreatedAt(createdAt).putLabels("a", "1").putLabels("b", "2").putLabels("c", UNICODE)
                .putAnnotations("note", HUGE).setRuntimeHandler("runc").setUnknownFields(extras()).build();
    }

    @Test
    void sandboxes() throws WireFormatException {
        ListPodSandboxResponse list = ListPodSandboxResponse.newBuilder()
                .addItems(podSandbox("s1", PodSandboxState.SANDBOX_READY_VALUE, 1_700_000_000_000_000_000L))
                .addItems(podSandbox("s2", PodSandboxState.SANDBOX_NOTREADY_VALUE, -5))
                .addItems(podSandbox("s3", 7, Long.MIN_VALUE)) // a state this client does not know
                .addItems(PodSandbox.getDefaultInstance())
                .build();
        assertEquals(list.getItemsList().stream().map(ProtocFromCri::sandbox).toList(),
                decode(CriResponses::listPodSandbox, list));
        assertEquals(3, decode(CriResponses::listPodSandbox, list).get(0).labels().size());
        assertEquals(dev.kedge.edge.cri.SandboxState.NOTREADY,
                decode(CriResponses::listPodSandbox, list).get(2).state());
    }

    @Test
    void sandboxStatus() throws WireFormatException {
        PodSandboxStatus status = PodSandboxStatus.newBuilder().setId("s1").setMetadata(sandboxMetadata())
                .setState(PodSandboxState.SANDBOX_NOTREADY).setCreatedAt(42)
                .setNetwork(PodSandboxNetworkStatus.newBuilder().setIp("10.1.0.5")
                        .addAdditionalIps(PodIP.newBuilder().setIp("fd00::5"))
                        .addAdditionalIps(PodIP.newBuilder().setIp("fd00::6").setUnknownFields(extras())))
                .setLinux(LinuxPodSandboxStatus.newBuilder().setNamespaces(Namespace.newBuilder()
                        .setOptions(NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE)
                                .setPid(NamespaceMode.CONTAINER).setTargetId("t").setUnknownFields(extras()))))
                .putLabels("l", "1").putAnnotations("a", "2").setRuntimeHandler("runc").build();
        // containers_statuses (3) and timestamp (4) of newer CRI versions
        ContainerStatus nested = containerStatus("c9").build();
        PodSandboxStatusResponse response = PodSandboxStatusResponse.newBuilder().setStatus(status)
                .putInfo("info", "{\"pid\":1}")
                .setUnknownFields(UnknownFieldSet.newBuilder()
                        .addField(3, UnknownFieldSet.Field.newBuilder().addLengthDelimited(nested.toByteString())
                                .addLengthDelimited(nested.toByteString()).build())
                        .addField(4, UnknownFieldSet.Field.newBuilder().addVarint(1_700_000_000L).build())
                        .build())
                .build();
        dev.kedge.edge.cri.SandboxStatus ours = decode(CriResponses::podSandboxStatus, response);
        assertEquals(ProtocFromCri.sandboxStatus(status), ours);
        assertEquals(List.of("fd00::5", "fd00::6"), ours.additionalIps());
        assertTrue(ours.hostNetwork());
        PodSandboxStatus podNetwork = status.toBuilder().setLinux(LinuxPodSandboxStatus.getDefaultInstance()).build();
        assertEquals(ProtocFromCri.sandboxStatus(podNetwork), decode(CriResponses::podSandboxStatus,
                PodSandboxStatusResponse.newBuilder().setStatus(podNetwork).build()));
        assertEquals(ProtocFromCri.sandboxStatus(PodSandboxStatus.getDefaultInstance()),
                decode(CriResponses::podSandboxStatus, PodSandboxStatusResponse.getDefaultInstance()));
    }

    static Container.Builder container(String id, int stateValue) {
        return Container.newBuilder().setId(id).setPodSandboxId("s1")
                .setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(-1)) // uint32 max
                .setImage(ImageSpec.newBuilder().setImage("busybox").putAnnotations("x", "y")
                        .setUnknownFields(extras()))
                .setImageRef("sha256:1").setStateValue(stateValue).setCreatedAt(-42).putLabels("k", "v")
                .putLabels("k2", "").putAnnotations("a", UNICODE).setImageId("sha256:2").setUnknownFields(extras());
    }

    @Test
    void containers() throws WireFormatException {
        ListContainersResponse list = ListContainersResponse.newBuilder()
                .addContainers(container("c0", ContainerState.CONTAINER_CREATED_VALUE))
                .addContainers(container("c1", ContainerState.CONTAINER_RUNNING_VALUE))
                .addContainers(container("c2", ContainerState.CONTAINER_EXITED_VALUE))
                .addContainers(container("c3", ContainerState.CONTAINER_UNKNOWN_VALUE))
                .addContainers(container("c9", 9))
                .addContainers(Container.getDefaultInstance())
                .setUnknownFields(extras()).build();
        assertEquals(list.getContainersList().stream().map(ProtocFromCri::container).toList(),
                decode(CriResponses::listContainers, list));
        assertEquals(List.of(dev.kedge.edge.cri.ContainerState.CREATED, dev.kedge.edge.cri.ContainerState.RUNNING,
                dev.kedge.edge.cri.ContainerState.EXITED, dev.kedge.edge.cri.ContainerState.UNKNOWN,
                dev.kedge.edge.cri.ContainerState.UNKNOWN, dev.kedge.edge.cri.ContainerState.CREATED),
                decode(CriResponses::listContainers, list).stream().map(c -> c.state()).toList());
        assertEquals(-1, decode(CriResponses::listContainers, list).get(0).attempt());
    }

    static ContainerStatus.Builder containerStatus(String id) {
        return ContainerStatus.newBuilder().setId(id)
                .setMetadata(ContainerMetadata.newBuilder().setName("app").setAttempt(2))
                .setState(ContainerState.CONTAINER_EXITED).setCreatedAt(1).setStartedAt(Long.MAX_VALUE)
                .setFinishedAt(Long.MIN_VALUE).setExitCode(-1).setImage(ImageSpec.newBuilder().setImage("busybox"))
                .setImageRef("sha256:1").setReason("Error").setMessage(UNICODE).putLabels("l", "1")
                .putLabels("m", "2").putAnnotations("a", "b")
                .addMounts(dev.kedge.edge.cri.internal.proto.Mount.newBuilder().setContainerPath("/d")
                        .setHostPath("/h").setReadonly(true))
                .setLogPath("/var/log/pods/x/app/2.log").setImageId("sha256:2").setUnknownFields(extras());
    }

    @Test
    void containerStatus() throws WireFormatException {
        ContainerStatus status = containerStatus("c1").build();
        ContainerStatusResponse response = ContainerStatusResponse.newBuilder().setStatus(status)
                .putInfo("info", HUGE).setUnknownFields(extras()).build();
        dev.kedge.edge.cri.ContainerStatus ours = decode(CriResponses::containerStatus, response);
        assertEquals(ProtocFromCri.containerStatus(status, ""), ours);
        assertEquals(-1, ours.exitCode());
        assertEquals(Long.MIN_VALUE, ours.finishedAtNanos());
        assertEquals(ProtocFromCri.containerStatus(status, "sb"), ContainerFromCri.withSandbox(ours, "sb"));
        assertEquals(ProtocFromCri.containerStatus(ContainerStatus.getDefaultInstance(), ""),
                decode(CriResponses::containerStatus, ContainerStatusResponse.getDefaultInstance()));
    }

    @Test
    void execSync() throws WireFormatException {
        byte[] big = new byte[FromCri.MAX_EXEC_OUTPUT_BYTES + 10];
        Arrays.fill(big, (byte) 'x');
        ExecSyncResponse r = ExecSyncResponse.newBuilder().setStdout(ByteString.copyFrom(big))
                .setStderr(ByteString.copyFromUtf8(UNICODE + "\n")).setExitCode(-2).setUnknownFields(extras()).build();
        dev.kedge.edge.cri.ExecResult ours = decode(CriResponses::execSync, r);
        assertEquals(new dev.kedge.edge.cri.ExecResult(-2, ProtocFromCri.output(r.getStdout()),
                ProtocFromCri.output(r.getStderr())), ours);
        assertEquals(FromCri.MAX_EXEC_OUTPUT_BYTES, ours.stdout().length());
        assertEquals(new dev.kedge.edge.cri.ExecResult(0, "", ""),
                decode(CriResponses::execSync, ExecSyncResponse.getDefaultInstance()));
    }

    // ---- malformed answers

    /**
     * Every prefix of an answer: protoc and the codec agree on whether it is a message, and on its content when
     * it is (a cut between top-level fields is a valid, shorter message; any other cut is not).
     */
    @Test
    void truncatedAnswersFailAsProtocFailsThem() throws Exception {
        ListContainersResponse list = ListContainersResponse.newBuilder()
                .addContainers(container("c1", 1)).addContainers(container("c2", 2)).build();
        PodSandboxStatusResponse sandbox = PodSandboxStatusResponse.newBuilder().setStatus(PodSandboxStatus
                .newBuilder().setId("s").setMetadata(sandboxMetadata()).putLabels("k", UNICODE)).build();
        ContainerStatusResponse status = ContainerStatusResponse.newBuilder().setStatus(containerStatus("c")).build();
        int failures = 0;
        byte[] bytes = list.toByteArray();
        for (int cut = 0; cut < bytes.length; cut++) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            ListContainersResponse protoc;
            try {
                protoc = ListContainersResponse.parseFrom(prefix);
            } catch (InvalidProtocolBufferException e) {
                assertThrows(WireFormatException.class,
                        () -> CriResponses.listContainers(new ProtoReader(prefix)), "cut at " + cut);
                failures++;
                continue;
            }
            assertEquals(protoc.getContainersList().stream().map(ProtocFromCri::container).toList(),
                    CriResponses.listContainers(new ProtoReader(prefix)), "cut at " + cut);
        }
        assertTrue(failures > bytes.length - 5, "most cuts are no message: " + failures + " of " + bytes.length);
        bytes = sandbox.toByteArray();
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            assertThrows(InvalidProtocolBufferException.class, () -> PodSandboxStatusResponse.parseFrom(prefix));
            assertThrows(WireFormatException.class, () -> CriResponses.podSandboxStatus(new ProtoReader(prefix)));
        }
        bytes = status.toByteArray();
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] prefix = Arrays.copyOf(bytes, cut);
            assertThrows(InvalidProtocolBufferException.class, () -> ContainerStatusResponse.parseFrom(prefix));
            assertThrows(WireFormatException.class, () -> CriResponses.containerStatus(new ProtoReader(prefix)));
        }
    }

    @Test
    void groupsAndBadTextAreRefused() {
        // proto2 groups are valid protobuf but no CRI message has one: refused rather than guessed over
        VersionResponse withGroup = VersionResponse.newBuilder().setRuntimeName("x").setUnknownFields(
                UnknownFieldSet.newBuilder().addField(50, UnknownFieldSet.Field.newBuilder()
                        .addGroup(UnknownFieldSet.newBuilder().addField(1, UnknownFieldSet.Field.newBuilder()
                                .addVarint(1).build()).build()).build()).build()).build();
        WireFormatException e = assertThrows(WireFormatException.class,
                () -> decode(CriResponses::version, withGroup));
        assertTrue(e.getMessage().contains("field 50: unsupported wire type 3"), e.getMessage());
        // runtime_name (2) with bytes that are no UTF-8
        byte[] badText = {0x12, 0x02, (byte) 0xC3, (byte) 0x28};
        assertThrows(InvalidProtocolBufferException.class, () -> VersionResponse.parseFrom(badText));
        e = assertThrows(WireFormatException.class, () -> CriResponses.version(new ProtoReader(badText)));
        assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    }
}
