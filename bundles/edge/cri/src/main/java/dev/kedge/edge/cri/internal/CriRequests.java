package dev.kedge.edge.cri.internal;

import java.util.List;
import java.util.Optional;

import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.internal.wire.ProtoWriter;

/** The request messages Kedge sends, encoded (field numbers of {@code cri.proto}; named by the call). */
final class CriRequests {
    /** Status, ListImages, ListPodSandbox and ListContainers without a filter: every field at its default. */
    static final byte[] EMPTY = new byte[0];

    private CriRequests() {
    }

    static byte[] version(String apiVersion) {
        return new ProtoWriter().string(1, apiVersion).toByteArray();
    }

    /** ImageStatus and RemoveImage: {@code image} = 1. */
    static byte[] image(String image) {
        return new ProtoWriter().message(1, ToCri.image(image)).toByteArray();
    }

    static byte[] pullImage(String image, Optional<RegistryAuth> auth) {
        ProtoWriter w = new ProtoWriter().message(1, ToCri.image(image));
        auth.ifPresent(a -> w.message(2, ToCri.auth(a)));
        return w.toByteArray();
    }

    static byte[] runPodSandbox(SandboxSpec spec) {
        return new ProtoWriter().message(1, ToCri.sandbox(spec)).toByteArray();
    }

    /** StopPodSandbox, RemovePodSandbox, PodSandboxStatus; StartContainer, RemoveContainer, ContainerStatus. */
    static byte[] id(String id) {
        return new ProtoWriter().string(1, id).toByteArray();
    }

    static byte[] createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
        return new ProtoWriter().string(1, sandboxId).message(2, ToCri.container(spec, sandbox))
                .message(3, ToCri.sandbox(sandbox)).toByteArray();
    }

    static byte[] stopContainer(String containerId, long timeoutSeconds) {
        return new ProtoWriter().string(1, containerId).int64(2, timeoutSeconds).toByteArray();
    }

    /** ListContainers with ContainerFilter {@code id}. */
    static byte[] listContainers(String containerId) {
        return new ProtoWriter().message(1, new ProtoWriter().string(1, containerId)).toByteArray();
    }

    static byte[] execSync(String containerId, List<String> command, long timeoutSeconds) {
        return new ProtoWriter().string(1, containerId).strings(2, command).int64(3, timeoutSeconds).toByteArray();
    }
}
