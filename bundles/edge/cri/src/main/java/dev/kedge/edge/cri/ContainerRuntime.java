package dev.kedge.edge.cri;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The container runtime of this node, reached over CRI. Every call has a deadline (the configured request timeout,
 * or the one given); a runtime that is down or slow fails the call with a {@link RuntimeCallException}, it never
 * blocks the caller for longer. Ids are the runtime's (containerd: 64 hex digits).
 */
@ProviderType
public interface ContainerRuntime {

    /** Runtime name and version, e.g. {@code containerd 1.6.20}, and the CRI API version. */
    RuntimeVersion version();

    /** Runtime and network readiness (CRI {@code Status}); feeds the node's Ready condition. */
    RuntimeStatus status();

    /** The endpoint, e.g. {@code unix:///run/containerd/containerd.sock}. */
    String endpoint();

    /** Calls made since start and how the failed ones failed; cheap. */
    CallStats callStats();

    /**
     * Subscribes to the runtime's container and task events; a runtime that has no event service fails the first
     * {@link RuntimeEvents#poll} with {@code UNIMPLEMENTED}.
     *
     * @throws RuntimeCallException {@code UNAVAILABLE} when the runtime cannot be reached
     */
    RuntimeEvents subscribeEvents();

    // ---- images

    /** The image if the runtime has it (CRI {@code ImageStatus}); empty when it does not. */
    Optional<ImageInfo> imageStatus(String image);

    /** Pulls the image (CRI {@code PullImage}, long deadline) and returns the image reference (digest). */
    String pullImage(String image, Optional<RegistryAuth> auth);

    List<ImageInfo> listImages();

    void removeImage(String image);

    // ---- pod sandboxes

    /** Creates and starts a sandbox (CRI {@code RunPodSandbox}) and returns its id. */
    String runPodSandbox(SandboxSpec spec);

    /** Stops all of the sandbox's containers and tears down its network; idempotent. */
    void stopPodSandbox(String sandboxId);

    /** Removes a stopped sandbox; idempotent (an unknown id is not an error). */
    void removePodSandbox(String sandboxId);

    List<SandboxInfo> listPodSandboxes();

    /** Status with the sandbox's IPs; empty when the runtime does not know the id. */
    Optional<SandboxStatus> podSandboxStatus(String sandboxId);

    // ---- containers

    /** Creates a container in the sandbox (CRI {@code CreateContainer}); {@code sandbox} is the spec it was run with. */
    String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox);

    void startContainer(String containerId);

    /** SIGTERM (or the image's stop signal), then SIGKILL after {@code grace}; idempotent. */
    void stopContainer(String containerId, Duration grace);

    /** Removes the container; idempotent (an unknown id is not an error). */
    void removeContainer(String containerId);

    List<ContainerInfo> listContainers();

    /** Full status: exit code, reason, start/finish times, log path; empty when the runtime does not know the id. */
    Optional<ContainerStatus> containerStatus(String containerId);

    /** Runs {@code command} in the container and waits at most {@code timeout} (CRI {@code ExecSync}). */
    ExecResult execSync(String containerId, List<String> command, Duration timeout);
}
