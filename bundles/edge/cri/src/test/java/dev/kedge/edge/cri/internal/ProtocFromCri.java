package dev.kedge.edge.cri.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;
import dev.kedge.edge.cri.internal.proto.Container;
import dev.kedge.edge.cri.internal.proto.Image;
import dev.kedge.edge.cri.internal.proto.NamespaceMode;
import dev.kedge.edge.cri.internal.proto.PodIP;
import dev.kedge.edge.cri.internal.proto.PodSandbox;
import dev.kedge.edge.cri.internal.proto.PodSandboxMetadata;
import dev.kedge.edge.cri.internal.proto.PodSandboxState;
import dev.kedge.edge.cri.internal.proto.RuntimeCondition;
import dev.kedge.edge.cri.internal.proto.StatusResponse;
import dev.kedge.edge.cri.internal.proto.VersionResponse;

/**
 * The CRI client's former decoder, on protoc's getters: the reference the codec's answers are checked against
 * (CriCodecTest). CRI messages to Kedge's records.
 */
final class ProtocFromCri {
    /** ExecSync output kept per stream (the API's promise; containerd itself allows 16 MiB). */
    static final int MAX_EXEC_OUTPUT_BYTES = 1024 * 1024;
    static final String RUNTIME_READY = "RuntimeReady";
    static final String NETWORK_READY = "NetworkReady";

    private ProtocFromCri() {
    }

    static RuntimeVersion version(VersionResponse v) {
        return new RuntimeVersion(v.getRuntimeName(), v.getRuntimeVersion(), v.getRuntimeApiVersion());
    }

    /** The two required conditions; reason and message are those of the first that is false. */
    static RuntimeStatus status(StatusResponse r) {
        boolean runtime = false;
        boolean network = false;
        String reason = "";
        String message = "";
        for (RuntimeCondition c : r.getStatus().getConditionsList()) {
            if (RUNTIME_READY.equals(c.getType())) {
                runtime = c.getStatus();
            } else if (NETWORK_READY.equals(c.getType())) {
                network = c.getStatus();
            } else {
                continue;
            }
            if (!c.getStatus() && reason.isEmpty() && message.isEmpty()) {
                reason = c.getReason();
                message = c.getMessage();
            }
        }
        if (!runtime && reason.isEmpty() && message.isEmpty()) {
            message = "the runtime reports no " + RUNTIME_READY + " condition";
        }
        return new RuntimeStatus(runtime, network, reason, message);
    }

    static SandboxInfo sandbox(PodSandbox p) {
        return sandbox(p.getId(), p.getMetadata(), p.getState(), p.getCreatedAt(), p.getLabelsMap(),
                p.getAnnotationsMap());
    }

    static SandboxStatus sandboxStatus(dev.kedge.edge.cri.internal.proto.PodSandboxStatus s) {
        SandboxInfo info = sandbox(s.getId(), s.getMetadata(), s.getState(), s.getCreatedAt(), s.getLabelsMap(),
                s.getAnnotationsMap());
        boolean hostNetwork = s.getLinux().getNamespaces().getOptions().getNetwork() == NamespaceMode.NODE;
        List<String> more = s.getNetwork().getAdditionalIpsList().stream().map(PodIP::getIp).toList();
        return new SandboxStatus(info, s.getNetwork().getIp(), more, hostNetwork);
    }

    private static SandboxInfo sandbox(String id, PodSandboxMetadata m, PodSandboxState state, long createdAt,
            Map<String, String> labels, Map<String, String> annotations) {
        return new SandboxInfo(id, m.getName(), m.getNamespace(), m.getUid(), m.getAttempt(),
                state == PodSandboxState.SANDBOX_READY ? SandboxState.READY : SandboxState.NOTREADY, createdAt,
                Map.copyOf(labels), Map.copyOf(annotations));
    }

    static ContainerInfo container(Container c) {
        return new ContainerInfo(c.getId(), c.getPodSandboxId(), c.getMetadata().getName(),
                c.getMetadata().getAttempt(), c.getImage().getImage(), c.getImageRef(), state(c.getState()),
                c.getCreatedAt(), Map.copyOf(c.getLabelsMap()), Map.copyOf(c.getAnnotationsMap()));
    }

    /** CRI's ContainerStatus lacks the sandbox id: the caller finds it with ListContainers. */
    static dev.kedge.edge.cri.ContainerStatus containerStatus(dev.kedge.edge.cri.internal.proto.ContainerStatus s,
            String sandboxId) {
        ContainerInfo info = new ContainerInfo(s.getId(), sandboxId, s.getMetadata().getName(),
                s.getMetadata().getAttempt(), s.getImage().getImage(), s.getImageRef(), state(s.getState()),
                s.getCreatedAt(), Map.copyOf(s.getLabelsMap()), Map.copyOf(s.getAnnotationsMap()));
        return new dev.kedge.edge.cri.ContainerStatus(info, s.getStartedAt(), s.getFinishedAt(), s.getExitCode(),
                s.getReason(), s.getMessage(), s.getLogPath());
    }

    static ContainerState state(dev.kedge.edge.cri.internal.proto.ContainerState s) {
        switch (s) {
            case CONTAINER_CREATED: return ContainerState.CREATED;
            case CONTAINER_RUNNING: return ContainerState.RUNNING;
            case CONTAINER_EXITED: return ContainerState.EXITED;
            default: return ContainerState.UNKNOWN;
        }
    }

    static ImageInfo image(Image i) {
        return new ImageInfo(i.getId(), List.copyOf(i.getRepoTagsList()), List.copyOf(i.getRepoDigestsList()),
                i.getSize());
    }

    /** UTF-8 text of at most {@link #MAX_EXEC_OUTPUT_BYTES} bytes of {@code output}. */
    static String output(ByteString output) {
        ByteString kept = output.size() > MAX_EXEC_OUTPUT_BYTES ? output.substring(0, MAX_EXEC_OUTPUT_BYTES) : output;
        return kept.toString(StandardCharsets.UTF_8);
    }
}
