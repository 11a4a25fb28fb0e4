package dev.kedge.edge.edged.internal.spec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxStatus;

/** The image and exec part of a runtime, in memory: images by name, a scripted registry and exec. */
final class FakeRuntime implements ContainerRuntime {
    final Map<String, ImageInfo> images = new HashMap<>();
    /** Names the "registry" has; pulling anything else fails like containerd does. */
    final Map<String, String> registry = new HashMap<>();
    final List<String> pulls = new ArrayList<>();
    final List<Optional<RegistryAuth>> pullAuths = new ArrayList<>();
    boolean registryDown;
    boolean runtimeDown;
    Function<List<String>, ExecResult> exec = cmd -> new ExecResult(0, "", "");

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        if (runtimeDown) {
            throw new RuntimeCallException("ImageStatus", "UNAVAILABLE", "connection refused", null);
        }
        return Optional.ofNullable(images.get(image));
    }

    @Override
    public String pullImage(String image, Optional<RegistryAuth> auth) {
        pulls.add(image);
        pullAuths.add(auth);
        if (registryDown) {
            throw new RuntimeCallException("PullImage", "UNKNOWN", "failed to pull and unpack image \"" + image
                    + "\": dial tcp: connection refused", null);
        }
        String id = registry.get(image);
        if (id == null) {
            throw new RuntimeCallException("PullImage", "NOT_FOUND", "failed to pull and unpack image \"" + image
                    + "\": not found", null);
        }
        images.put(image, new ImageInfo(id, List.of(image), List.of(), 1));
        return id;
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        return exec.apply(command);
    }

    @Override
    public RuntimeVersion version() {
        throw new UnsupportedOperationException();
    }

    @Override
    public RuntimeStatus status() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String endpoint() {
        return "fake://";
    }

    @Override
    public dev.kedge.edge.cri.CallStats callStats() {
        return new dev.kedge.edge.cri.CallStats(0, 0, 0, 0, 0);
    }

    @Override
    public List<ImageInfo> listImages() {
        return List.copyOf(images.values());
    }

    @Override
    public void removeImage(String image) {
        images.remove(image);
    }

    @Override
    public String runPodSandbox(SandboxSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopPodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removePodSandbox(String sandboxId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SandboxInfo> listPodSandboxes() {
        return List.of();
    }

    @Override
    public Optional<SandboxStatus> podSandboxStatus(String sandboxId) {
        return Optional.empty();
    }

    @Override
    public String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void startContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeContainer(String containerId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ContainerInfo> listContainers() {
        return List.of();
    }

    @Override
    public dev.kedge.edge.cri.RuntimeEvents subscribeEvents() {
        throw new RuntimeCallException("Subscribe", "UNIMPLEMENTED", "not in this fake", null);
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.empty();
    }
}
