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

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.CallStats;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.grpc.GrpcException;
import dev.kedge.edge.cri.internal.wire.Decoder;

/**
 * The ContainerRuntime service: CRI runtime.v1 over gRPC on the runtime's unix socket (Kedge's own small client,
 * see {@code internal.grpc}). Reads its keys from Edged's
 * configuration (KubeEdge keeps them there); a change of them reconnects without unregistering the service.
 * <p>An invalid configuration keeps the service registered, failing every call with {@code FAILED_PRECONDITION}
 * and the reason (what {@code cri:info} shows). A runtime that is down fails calls with {@code UNAVAILABLE} at
 * once; the same connection recovers when the runtime returns.
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = CriRuntimeComponent.NAME, configurationPid = CriRuntimeComponent.EDGED_PID,
        service = ContainerRuntime.class, immediate = true)
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
        return runtime("Version", null, CriRequests.version(API_VERSION), CriResponses::version);
    }

    @Override
    public RuntimeStatus status() {
        return runtime("Status", null, CriRequests.EMPTY, CriResponses::status);
    }

    @Override
    public RuntimeEvents subscribeEvents() {
        CriConnection c = connection("Subscribe");
        return invoke("Subscribe", c::subscribeEvents);
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        return image("ImageStatus", null, CriRequests.image(image), CriResponses::imageStatus);
    }

    @Override
    public String pullImage(String image, Optional<RegistryAuth> auth) {
        return image("PullImage", settings().pullTimeout(), CriRequests.pullImage(image, auth),
                CriResponses.FIRST_STRING);
    }

    @Override
    public List<ImageInfo> listImages() {
        return image("ListImages", null, CriRequests.EMPTY, CriResponses::listImages);
    }

    @Override
    public void removeImage(String image) {
        idempotent(() -> image("RemoveImage", null, CriRequests.image(image), CriResponses.NOTHING));
    }

    @Override
    public String runPodSandbox(SandboxSpec spec) {
        // may pull the sandbox image and run CNI: the long deadline
        return runtime("RunPodSandbox", settings().pullTimeout(), CriRequests.runPodSandbox(spec),
                CriResponses.FIRST_STRING);
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        idempotent(() -> runtime("StopPodSandbox", settings().pullTimeout(), CriRequests.id(sandboxId),
                CriResponses.NOTHING));
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        idempotent(() -> runtime("RemovePodSandbox", settings().pullTimeout(), CriRequests.id(sandboxId),
                CriResponses.NOTHING));
    }

    @Override
    public List<SandboxInfo> listPodSandboxes() {
        return runtime("ListPodSandbox", null, CriRequests.EMPTY, CriResponses::listPodSandbox);
    }

    @Override
    public Optional<SandboxStatus> podSandboxStatus(String sandboxId) {
        try {
            return Optional.of(runtime("PodSandboxStatus", null, CriRequests.id(sandboxId),
                    CriResponses::podSandboxStatus));
        } catch (RuntimeCallException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
        return runtime("CreateContainer", null, CriRequests.createContainer(sandboxId, spec, sandbox),
                CriResponses.FIRST_STRING);
    }

    @Override
    public void startContainer(String containerId) {
        runtime("StartContainer", null, CriRequests.id(containerId), CriResponses.NOTHING);
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        long seconds = Math.max(0, (grace.toMillis() + 999) / 1000);
        // the runtime waits the grace period, then kills: the deadline covers both
        idempotent(() -> runtime("StopContainer", settings().callTimeout().plusSeconds(seconds),
                CriRequests.stopContainer(containerId, seconds), CriResponses.NOTHING));
    }

    @Override
    public void removeContainer(String containerId) {
        idempotent(() -> runtime("RemoveContainer", null, CriRequests.id(containerId), CriResponses.NOTHING));
    }

    @Override
    public List<ContainerInfo> listContainers() {
        return runtime("ListContainers", null, CriRequests.EMPTY, CriResponses::listContainers);
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        ContainerStatus status;
        try {
            status = runtime("ContainerStatus", null, CriRequests.id(containerId), CriResponses::containerStatus);
        } catch (RuntimeCallException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
        String sandboxId = runtime("ListContainers", null, CriRequests.listContainers(status.info().id()),
                CriResponses::listContainers).stream().map(ContainerInfo::sandboxId).findFirst().orElse("");
        return Optional.of(ContainerFromCri.withSandbox(status, sandboxId));
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        return runtime("ExecSync", settings().callTimeout().plusSeconds(seconds),
                CriRequests.execSync(containerId, command, seconds), CriResponses::execSync);
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
    private <T> T runtime(String call, Duration deadline, byte[] request, Decoder<T> answer) {
        CriConnection c = connection(call);
        return invoke(call, () -> c.runtime(call, request, answer, deadlineOr(deadline)));
    }

    private <T> T image(String call, Duration deadline, byte[] request, Decoder<T> answer) {
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
