package dev.kedge.edge.cri.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.CallStats;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.proto.ContainerFilter;
import dev.kedge.edge.cri.internal.proto.ContainerStatusRequest;
import dev.kedge.edge.cri.internal.proto.ContainerStatusResponse;
import dev.kedge.edge.cri.internal.proto.CreateContainerRequest;
import dev.kedge.edge.cri.internal.proto.CreateContainerResponse;
import dev.kedge.edge.cri.internal.proto.ExecSyncRequest;
import dev.kedge.edge.cri.internal.proto.ExecSyncResponse;
import dev.kedge.edge.cri.internal.proto.ImageStatusRequest;
import dev.kedge.edge.cri.internal.proto.ImageStatusResponse;
import dev.kedge.edge.cri.internal.proto.ListContainersRequest;
import dev.kedge.edge.cri.internal.proto.ListContainersResponse;
import dev.kedge.edge.cri.internal.proto.ListImagesRequest;
import dev.kedge.edge.cri.internal.proto.ListImagesResponse;
import dev.kedge.edge.cri.internal.proto.ListPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.ListPodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.PodSandboxStatusRequest;
import dev.kedge.edge.cri.internal.proto.PodSandboxStatusResponse;
import dev.kedge.edge.cri.internal.proto.PullImageRequest;
import dev.kedge.edge.cri.internal.proto.PullImageResponse;
import dev.kedge.edge.cri.internal.proto.RemoveContainerRequest;
import dev.kedge.edge.cri.internal.proto.RemoveContainerResponse;
import dev.kedge.edge.cri.internal.proto.RemoveImageRequest;
import dev.kedge.edge.cri.internal.proto.RemoveImageResponse;
import dev.kedge.edge.cri.internal.proto.RemovePodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.RemovePodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.RunPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.RunPodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.StartContainerRequest;
import dev.kedge.edge.cri.internal.proto.StartContainerResponse;
import dev.kedge.edge.cri.internal.proto.StatusRequest;
import dev.kedge.edge.cri.internal.proto.StatusResponse;
import dev.kedge.edge.cri.internal.proto.StopContainerRequest;
import dev.kedge.edge.cri.internal.proto.StopContainerResponse;
import dev.kedge.edge.cri.internal.proto.StopPodSandboxRequest;
import dev.kedge.edge.cri.internal.proto.StopPodSandboxResponse;
import dev.kedge.edge.cri.internal.proto.VersionRequest;
import dev.kedge.edge.cri.internal.proto.VersionResponse;
import dev.kedge.edge.cri.internal.grpc.GrpcException;

/**
 * The ContainerRuntime service: CRI runtime.v1 over gRPC on the runtime's unix socket (Kedge's own small client,
 * see {@code internal.grpc}). Reads its keys from Edged's
 * configuration (KubeEdge keeps them there); a change of them reconnects without unregistering the service.
 * <p>An invalid configuration keeps the service registered, failing every call with {@code FAILED_PRECONDITION}
 * and the reason (what {@code cri:info} shows). A runtime that is down fails calls with {@code UNAVAILABLE} at
 * once; the same connection recovers when the runtime returns.
 */
@Component(name = CriRuntimeComponent.NAME, configurationPid = CriRuntimeComponent.EDGED_PID,
        service = ContainerRuntime.class)
public final class CriRuntimeComponent implements ContainerRuntime {
    public static final String NAME = "dev.kedge.edge.cri";
    /** KubeEdge keeps the CRI endpoints in edged's section: the CRI client reads Edged's PID. */
    static final String EDGED_PID = "dev.kedge.edge.edged";
    /** The CRI API version kubelet asks for. */
    static final String API_VERSION = "v1";
    private static final Logger LOG = LoggerFactory.getLogger(CriRuntimeComponent.class);

    /** Settings and connection, swapped as one on a configuration change. */
    private record Backend(String endpoint, CriSettings settings, CriConnection connection, String error) {
    }

    private volatile Backend backend;
    private volatile boolean reachable = true;

    @Activate
    public CriRuntimeComponent(CriConfig config) {
        this.backend = open(config);
    }

    @Modified
    void modified(CriConfig config) {
        Backend old = backend;
        String endpoint = config.remoteRuntimeEndpoint();
        if (old.settings() != null && sameSettings(old.settings(), config)) {
            return;
        }
        backend = open(config);
        LOG.info("CRI configuration changed: now {}", endpoint);
        close(old);
    }

    @Deactivate
    void deactivate() {
        close(backend);
    }

    private static boolean sameSettings(CriSettings current, CriConfig config) {
        try {
            return current.equals(CriSettings.of(config));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Backend open(CriConfig config) {
        String endpoint = config.remoteRuntimeEndpoint();
        CriSettings s;
        try {
            s = CriSettings.of(config);
        } catch (IllegalArgumentException e) {
            String error = "invalid configuration " + EDGED_PID + ": " + e.getMessage();
            LOG.error("{}; every container runtime call fails until it is fixed", error);
            return new Backend(endpoint, null, null, error);
        }
        return new Backend(s.runtimeEndpoint(), s, new CriConnection(s.runtimeSocket(), s.runtimeEndpoint(),
                s.imageSocket(), config.remoteImageEndpoint()), "");
    }

    private static void close(Backend b) {
        if (b.connection() != null) {
            b.connection().close();
        }
    }

    // ---- ContainerRuntime

    @Override
    public String endpoint() {
        return backend.endpoint();
    }

    /** Since the current configuration (a changed endpoint starts a new connection and new counts). */
    @Override
    public CallStats callStats() {
        CriConnection c = backend.connection();
        return c == null ? new CallStats(0, 0, 0, 0, 0) : c.stats();
    }

    @Override
    public RuntimeVersion version() {
        return FromCri.version(runtime("Version", null,
                VersionRequest.newBuilder().setVersion(API_VERSION).build(), VersionResponse.parser()));
    }

    @Override
    public RuntimeStatus status() {
        return FromCri.status(runtime("Status", null, StatusRequest.getDefaultInstance(), StatusResponse.parser()));
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        ImageStatusResponse r = image("ImageStatus", null,
                ImageStatusRequest.newBuilder().setImage(ToCri.image(image)).build(), ImageStatusResponse.parser());
        return r.hasImage() ? Optional.of(FromCri.image(r.getImage())) : Optional.empty();
    }

    @Override
    public String pullImage(String image, Optional<RegistryAuth> auth) {
        PullImageRequest.Builder req = PullImageRequest.newBuilder().setImage(ToCri.image(image));
        auth.ifPresent(a -> req.setAuth(ToCri.auth(a)));
        return image("PullImage", settings().pullTimeout(), req.build(), PullImageResponse.parser()).getImageRef();
    }

    @Override
    public List<ImageInfo> listImages() {
        return image("ListImages", null, ListImagesRequest.getDefaultInstance(), ListImagesResponse.parser())
                .getImagesList().stream().map(FromCri::image).toList();
    }

    @Override
    public void removeImage(String image) {
        idempotent(() -> image("RemoveImage", null,
                RemoveImageRequest.newBuilder().setImage(ToCri.image(image)).build(), RemoveImageResponse.parser()));
    }

    @Override
    public String runPodSandbox(SandboxSpec spec) {
        RunPodSandboxRequest req = RunPodSandboxRequest.newBuilder().setConfig(ToCri.sandbox(spec)).build();
        // may pull the sandbox image and run CNI: the long deadline
        return runtime("RunPodSandbox", settings().pullTimeout(), req, RunPodSandboxResponse.parser())
                .getPodSandboxId();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        idempotent(() -> runtime("StopPodSandbox", settings().pullTimeout(),
                StopPodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                StopPodSandboxResponse.parser()));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        idempotent(() -> runtime("RemovePodSandbox", settings().pullTimeout(),
                RemovePodSandboxRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                RemovePodSandboxResponse.parser()));
    }

    @Override
    public List<SandboxInfo> listPodSandboxes() {
        return runtime("ListPodSandbox", null, ListPodSandboxRequest.getDefaultInstance(),
                ListPodSandboxResponse.parser()).getItemsList().stream().map(FromCri::sandbox).toList();
    }

    @Override
    public Optional<SandboxStatus> podSandboxStatus(String sandboxId) {
        try {
            return Optional.of(FromCri.sandboxStatus(runtime("PodSandboxStatus", null,
                    PodSandboxStatusRequest.newBuilder().setPodSandboxId(sandboxId).build(),
                    PodSandboxStatusResponse.parser()).getStatus()));
        } catch (RuntimeCallException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
        CreateContainerRequest req = CreateContainerRequest.newBuilder().setPodSandboxId(sandboxId)
                .setConfig(ToCri.container(spec, sandbox)).setSandboxConfig(ToCri.sandbox(sandbox)).build();
        return runtime("CreateContainer", null, req, CreateContainerResponse.parser()).getContainerId();
    }

    @Override
    public void startContainer(String containerId) {
        runtime("StartContainer", null, StartContainerRequest.newBuilder().setContainerId(containerId).build(),
                StartContainerResponse.parser());
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        StopContainerRequest req = StopContainerRequest.newBuilder().setContainerId(containerId).setTimeout(seconds)
                .build();
        // the runtime waits the grace period, then kills: the deadline covers both
        idempotent(() -> runtime("StopContainer", settings().callTimeout().plusSeconds(seconds), req,
                StopContainerResponse.parser()));
    }

    @Override
    public void removeContainer(String containerId) {
        idempotent(() -> runtime("RemoveContainer", null,
                RemoveContainerRequest.newBuilder().setContainerId(containerId).build(),
                RemoveContainerResponse.parser()));
    }

    @Override
    public List<ContainerInfo> listContainers() {
        return runtime("ListContainers", null, ListContainersRequest.getDefaultInstance(),
                ListContainersResponse.parser()).getContainersList().stream().map(FromCri::container).toList();
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        dev.kedge.edge.cri.internal.proto.ContainerStatus status;
        try {
            status = runtime("ContainerStatus", null,
                    ContainerStatusRequest.newBuilder().setContainerId(containerId).build(),
                    ContainerStatusResponse.parser()).getStatus();
        } catch (RuntimeCallException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
        String sandboxId = runtime("ListContainers", null, ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().setId(status.getId())).build(),
                ListContainersResponse.parser())
                .getContainersList().stream().map(c -> c.getPodSandboxId()).findFirst().orElse("");
        return Optional.of(FromCri.containerStatus(status, sandboxId));
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        ExecSyncRequest req = ExecSyncRequest.newBuilder().setContainerId(containerId).addAllCmd(command)
                .setTimeout(seconds).build();
        ExecSyncResponse r = runtime("ExecSync", settings().callTimeout().plusSeconds(seconds), req,
                ExecSyncResponse.parser());
        return new ExecResult(r.getExitCode(), FromCri.output(r.getStdout()), FromCri.output(r.getStderr()));
    }

    // ---- calls

    private CriSettings settings() {
        Backend b = backend;
        return b.settings() != null ? b.settings() : DEFAULTS;
    }

    /** Deadlines used before the configuration is known to be valid (calls fail before using them anyway). */
    private static final CriSettings DEFAULTS = new CriSettings(CriSettings.DEFAULT_ENDPOINT, null, null,
            Duration.ofSeconds(10), Duration.ofSeconds(120));

    /** A call of the runtime service; {@code deadline} null is the configured call timeout. */
    private <T> T runtime(String call, Duration deadline, MessageLite request, Parser<T> answer) {
        CriConnection c = connection(call);
        return invoke(call, () -> c.runtime(call, request, answer, deadlineOr(deadline)));
    }

    private <T> T image(String call, Duration deadline, MessageLite request, Parser<T> answer) {
        CriConnection c = connection(call);
        return invoke(call, () -> c.image(call, request, answer, deadlineOr(deadline)));
    }

    private Duration deadlineOr(Duration deadline) {
        return deadline == null ? settings().callTimeout() : deadline;
    }

    private CriConnection connection(String call) {
        Backend b = backend;
        if (b.connection() == null) {
            throw new RuntimeCallException(call, "FAILED_PRECONDITION", b.error(), null);
        }
        return b.connection();
    }

    /** A call that may fail with the runtime's gRPC status. */
    private interface Call<T> {
        T run() throws GrpcException;
    }

    private <T> T invoke(String call, Call<T> rpc) {
        try {
            T result = rpc.run();
            if (!reachable) {
                reachable = true;
                LOG.info("container runtime at {} is reachable again", endpoint());
            }
            return result;
        } catch (GrpcException e) {
            RuntimeCallException failure = new RuntimeCallException(call, e.code(), e.getMessage(), e);
            if (failure.unavailable() && reachable) {
                reachable = false;
                LOG.warn("container runtime at {} is unreachable: {}", endpoint(), failure.getMessage());
            }
            throw failure;
        }
    }

    /** Stop and remove calls: what is already gone is done. */
    private static void idempotent(Runnable call) {
        try {
            call.run();
        } catch (RuntimeCallException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }
}
