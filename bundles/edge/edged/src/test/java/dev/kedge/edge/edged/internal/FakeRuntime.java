package dev.kedge.edge.edged.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.RegistryAuth;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxInfo;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;

/**
 * A container runtime in the JVM for the lifecycle's unit tests: sandboxes and containers as records that move
 * through CRI's states, every call recorded; {@link #down} makes every call fail as an absent socket does.
 */
final class FakeRuntime implements ContainerRuntime {
    record Stop(String containerId, Duration grace) {
    }

    record Exec(String containerId, List<String> command) {
    }

    private final Clock clock;
    private final AtomicLong ids = new AtomicLong(0xabc000);
    private final Map<String, SandboxInfo> sandboxes = new HashMap<>(); // guarded by this
    private final Map<String, ContainerStatus> containers = new HashMap<>(); // guarded by this
    final List<Stop> stops = new CopyOnWriteArrayList<>();
    final List<Exec> execs = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<ContainerSpec> created = new CopyOnWriteArrayList<>();
    volatile boolean down;
    /** Off: a runtime without containerd's event service (CRI-O), whose subscriptions fail UNIMPLEMENTED. */
    volatile boolean eventService;
    /** On: state changes emit no event (one lost while the runtime took a subscription). */
    volatile boolean muted;
    final AtomicInteger polls = new AtomicInteger();
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    volatile boolean runtimeReady = true;

    FakeRuntime(Clock clock) {
        this.clock = clock;
    }

    private void call(String name) {
        calls.add(name);
        if (down) {
            throw new RuntimeCallException(name, "UNAVAILABLE", "connection refused", null);
        }
    }

    private long now() {
        Instant t = clock.instant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private String id() {
        return String.format("%064x", ids.incrementAndGet());
    }

    @Override
    public RuntimeVersion version() {
        call("Version");
        return new RuntimeVersion("containerd", "1.6.20", "v1");
    }

    @Override
    public RuntimeStatus status() {
        call("Status");
        return runtimeReady ? new RuntimeStatus(true, true, "", "")
                : new RuntimeStatus(false, true, "ContainerdNotReady", "still starting");
    }

    @Override
    public String endpoint() {
        return "unix:///fake.sock";
    }

    @Override
    public dev.kedge.edge.cri.CallStats callStats() {
        return new dev.kedge.edge.cri.CallStats(0, 0, 0, 0, 0);
    }

    @Override
    public Optional<ImageInfo> imageStatus(String image) {
        call("ImageStatus");
        return Optional.of(new ImageInfo("sha256:" + image.hashCode(), List.of(image), List.of(), 1));
    }

    @Override
    public String pullImage(String image, Optional<RegistryAuth> auth) {
        call("PullImage");
        return "sha256:" + image.hashCode();
    }

    @Override
    public List<ImageInfo> listImages() {
        call("ListImages");
        return List.of();
    }

    @Override
    public void removeImage(String image) {
        call("RemoveImage");
    }

    @Override
    public synchronized String runPodSandbox(SandboxSpec spec) {
        call("RunPodSandbox");
        String id = id();
        sandboxes.put(id, new SandboxInfo(id, spec.name(), spec.namespace(), spec.uid(), spec.attempt(),
                SandboxState.READY, now(), Map.copyOf(spec.labels()), Map.copyOf(spec.annotations())));
        emit("/tasks/start");
        return id;
    }

    @Override
    public synchronized void stopPodSandbox(String sandboxId) {
        call("StopPodSandbox");
        SandboxInfo s = sandboxes.get(sandboxId);
        if (s == null) {
            return;
        }
        sandboxes.put(sandboxId, new SandboxInfo(s.id(), s.name(), s.namespace(), s.uid(), s.attempt(),
                SandboxState.NOTREADY, s.createdAtNanos(), s.labels(), s.annotations()));
        emit("/tasks/exit");
        for (ContainerStatus c : List.copyOf(containers.values())) {
            if (c.info().sandboxId().equals(sandboxId) && c.info().state() == ContainerState.RUNNING) {
                exit(c.info().id(), 137, "Error");
            }
        }
    }

    @Override
    public synchronized void removePodSandbox(String sandboxId) {
        call("RemovePodSandbox");
        sandboxes.remove(sandboxId);
        containers.values().removeIf(c -> c.info().sandboxId().equals(sandboxId));
        emit("/containers/delete");
    }

    @Override
    public synchronized List<SandboxInfo> listPodSandboxes() {
        call("ListPodSandbox");
        return new ArrayList<>(sandboxes.values());
    }

    @Override
    public synchronized Optional<SandboxStatus> podSandboxStatus(String sandboxId) {
        call("PodSandboxStatus");
        return Optional.ofNullable(sandboxes.get(sandboxId)).map(s -> new SandboxStatus(s, "10.88.0.7", List.of(),
                false));
    }

    @Override
    public synchronized String createContainer(String sandboxId, ContainerSpec spec, SandboxSpec sandbox) {
        call("CreateContainer");
        if (!sandboxes.containsKey(sandboxId)) {
            throw new RuntimeCallException("CreateContainer", "NOT_FOUND", "no sandbox " + sandboxId, null);
        }
        created.add(spec);
        String id = id();
        ContainerInfo info = new ContainerInfo(id, sandboxId, spec.name(), spec.attempt(), spec.image(), spec.image(),
                ContainerState.CREATED, now(), Map.copyOf(spec.labels()), Map.copyOf(spec.annotations()));
        containers.put(id, new ContainerStatus(info, 0, 0, 0, "", "", "/tmp/" + id + ".log"));
        emit("/containers/create");
        return id;
    }

    @Override
    public synchronized void startContainer(String containerId) {
        call("StartContainer");
        ContainerStatus c = containers.get(containerId);
        containers.put(containerId, new ContainerStatus(with(c.info(), ContainerState.RUNNING), now(), 0, 0, "", "",
                c.logPath()));
        emit("/tasks/start");
    }

    @Override
    public void stopContainer(String containerId, Duration grace) {
        call("StopContainer");
        stops.add(new Stop(containerId, grace));
        synchronized (this) {
            ContainerStatus c = containers.get(containerId);
            if (c != null && c.info().state() == ContainerState.RUNNING) {
                exit(containerId, 137, "Error");
            }
        }
    }

    @Override
    public synchronized void removeContainer(String containerId) {
        call("RemoveContainer");
        containers.remove(containerId);
        emit("/containers/delete");
    }

    @Override
    public synchronized List<ContainerInfo> listContainers() {
        call("ListContainers");
        return containers.values().stream().map(ContainerStatus::info).toList();
    }

    @Override
    public synchronized Optional<ContainerStatus> containerStatus(String containerId) {
        call("ContainerStatus");
        return Optional.ofNullable(containers.get(containerId));
    }

    @Override
    public ExecResult execSync(String containerId, List<String> command, Duration timeout) {
        call("ExecSync");
        execs.add(new Exec(containerId, command));
        return new ExecResult(0, "", "");
    }

    @Override
    public RuntimeEvents subscribeEvents() {
        call("Subscribe");
        Subscription s = new Subscription();
        subscriptions.add(s);
        return s;
    }

    // ---- test controls

    /** containerd's events: topics queued for each open subscription while {@link #eventService} is on. */
    private final class Subscription implements RuntimeEvents {
        final Queue<String> topics = new ConcurrentLinkedQueue<>();
        volatile RuntimeCallException ended;

        @Override
        public List<String> poll() {
            if (!eventService) {
                throw new RuntimeCallException("Subscribe", "UNIMPLEMENTED", "unknown service", null);
            }
            if (ended != null) {
                throw ended;
            }
            List<String> out = new ArrayList<>();
            String t;
            while ((t = topics.poll()) != null) {
                out.add(t);
            }
            polls.incrementAndGet();
            return out;
        }

        @Override
        public void close() {
            subscriptions.remove(this);
        }
    }

    private void emit(String topic) {
        if (!muted) {
            subscriptions.forEach(s -> s.topics.add(topic));
        }
    }

    /** The runtime restarts, as far as its subscribers see: each open subscription ends. */
    void endSubscriptions() {
        subscriptions.forEach(s -> s.ended = new RuntimeCallException("Subscribe", "UNAVAILABLE", "EOF", null));
    }

    int openSubscriptions() {
        return subscriptions.size();
    }

    /** The container ends as a crash (or a run to completion) would. */
    synchronized void exit(String containerId, int code, String reason) {
        ContainerStatus c = containers.get(containerId);
        containers.put(containerId, new ContainerStatus(with(c.info(), ContainerState.EXITED), c.startedAtNanos(),
                now(), code, reason, "", c.logPath()));
        emit("/tasks/exit");
    }

    synchronized List<ContainerInfo> containers(ContainerState state) {
        return containers.values().stream().map(ContainerStatus::info).filter(i -> i.state() == state).toList();
    }

    synchronized List<ContainerInfo> allContainers() {
        return containers.values().stream().map(ContainerStatus::info).toList();
    }

    synchronized List<SandboxInfo> allSandboxes() {
        return List.copyOf(sandboxes.values());
    }

    /** Puts a sandbox with one running container straight into the runtime (left by an earlier Edged, or others). */
    synchronized String[] plant(Map<String, String> labels, String containerName) {
        String sb = id();
        sandboxes.put(sb, new SandboxInfo(sb, "x", "default", labels.getOrDefault(CriLabels.POD_UID, ""), 0,
                SandboxState.READY, now(), Map.copyOf(labels), Map.of()));
        Map<String, String> cl = new HashMap<>(labels);
        cl.put(CriLabels.CONTAINER_NAME, containerName);
        String c = id();
        containers.put(c, new ContainerStatus(new ContainerInfo(c, sb, containerName, 0, "img", "img",
                ContainerState.RUNNING, now(), Map.copyOf(cl), Map.of(CriLabels.GRACE, "3")), now(), 0, 0, "", "",
                "/tmp/" + c + ".log"));
        return new String[] {sb, c};
    }

    private static ContainerInfo with(ContainerInfo i, ContainerState s) {
        return new ContainerInfo(i.id(), i.sandboxId(), i.name(), i.attempt(), i.image(), i.imageRef(), s,
                i.createdAtNanos(), i.labels(), i.annotations());
    }
}
