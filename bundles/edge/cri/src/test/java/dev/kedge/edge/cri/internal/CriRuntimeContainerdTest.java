package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerSpec;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.cri.ContainerStatus;
import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.ImageInfo;
import dev.kedge.edge.cri.KeyValue;
import dev.kedge.edge.cri.LinuxResources;
import dev.kedge.edge.cri.Mount;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;
import dev.kedge.edge.cri.SandboxSpec;
import dev.kedge.edge.cri.SandboxState;
import dev.kedge.edge.cri.SandboxStatus;

/**
 * The CRI client against a real containerd at {@code KEDGE_CRI_ENDPOINT} (hostNetwork pods only: no CNI needed).
 * Fails when it is missing under {@code CI=true}; skipped with a message otherwise. Everything it creates has a
 * per-run name and is removed.
 */
class CriRuntimeContainerdTest {
    private static final Logger LOG = LoggerFactory.getLogger(CriRuntimeContainerdTest.class);
    static final String BUSYBOX = "docker.io/library/kedge-busybox:1";

    private static CriRuntimeComponent runtime;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<String> sandboxes = new ArrayList<>();
    private Path work;

    @BeforeAll
    static void connect() {
        String endpoint = System.getenv("KEDGE_CRI_ENDPOINT");
        if (endpoint == null || endpoint.isBlank()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("KEDGE_CRI_ENDPOINT is not set: CI must run containerd for this test");
            }
            assumeTrue(false, "KEDGE_CRI_ENDPOINT is not set (e.g. unix:///tmp/kcri-dev/run/containerd.sock): "
                    + "skipping the containerd tests");
        }
        runtime = new CriRuntimeComponent(TestConfigs.config(endpoint, "", 20, 10));
    }

    @AfterAll
    static void disconnect() {
        if (runtime != null) {
            runtime.deactivate();
        }
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (String id : sandboxes) {
            runtime.stopPodSandbox(id);
            runtime.removePodSandbox(id);
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void versionStatusAndImages() {
        RuntimeVersion v = runtime.version();
        assertEquals("containerd", v.runtimeName());
        assertEquals("v1", v.runtimeApiVersion());
        RuntimeStatus s = runtime.status();
        assertTrue(s.runtimeReady(), s.toString());
        Optional<ImageInfo> busybox = runtime.imageStatus(BUSYBOX);
        assertTrue(busybox.isPresent(), "the test image " + BUSYBOX + " is imported");
        assertTrue(busybox.get().repoTags().contains(BUSYBOX), busybox.get().toString());
        assertTrue(busybox.get().id().startsWith("sha256:"), busybox.get().id());
        assertTrue(runtime.listImages().stream().anyMatch(i -> i.id().equals(busybox.get().id())));
        assertEquals(Optional.empty(), runtime.imageStatus("docker.io/library/kedge-absent-" + run + ":1"));
    }

    @Test
    void pullOfAnUnreachableImageFails() {
        // a registry on a closed loopback port: fails at once, no traffic leaves the machine
        RuntimeCallException e = assertThrows(RuntimeCallException.class,
                () -> runtime.pullImage("127.0.0.1:1/kedge/absent-" + run + ":1", Optional.empty()));
        assertEquals("PullImage", e.call());
        assertFalse(e.unavailable(), "the runtime answered: " + e.getMessage());
        LOG.info("pull of an unreachable image: {}", e.getMessage());
    }

    /** Twice: the first round includes connecting and class loading, the second shows warm latencies. */
    @RepeatedTest(2)
    void hostNetworkPodLifecycle() throws Exception {
        work = Files.createTempDirectory("kedge-cri-" + run);
        Path logs = Files.createDirectories(work.resolve("logs"));
        Files.createDirectories(logs.resolve("app"));
        Path volume = Files.createDirectories(work.resolve("volume"));
        Files.writeString(volume.resolve("greeting.txt"), "from-the-host-" + run);
        String uid = UUID.randomUUID().toString();
        SandboxSpec pod = new SandboxSpec("kedge-test-" + run, "kedge-test", uid, 0, "", logs.toString(), true,
                Map.of("io.kubernetes.pod.name", "kedge-test-" + run, "io.kubernetes.pod.namespace", "kedge-test",
                        "io.kubernetes.pod.uid", uid), Map.of("kedge.dev/test", run), List.of(), "", List.of(),
                List.of(), List.of());

        String sandboxId = timed("RunPodSandbox", () -> runtime.runPodSandbox(pod));
        sandboxes.add(sandboxId);
        SandboxStatus sandbox = runtime.podSandboxStatus(sandboxId).orElseThrow();
        assertEquals(SandboxState.READY, sandbox.info().state());
        assertTrue(sandbox.hostNetwork());
        assertEquals(uid, sandbox.info().uid());
        assertEquals(run, sandbox.info().annotations().get("kedge.dev/test"));
        assertTrue(runtime.listPodSandboxes().stream().anyMatch(s -> s.id().equals(sandboxId)));

        ContainerSpec app = new ContainerSpec("app", 0, BUSYBOX, List.of("sh", "-c"),
                List.of("echo hi; exec sleep 3600"), "", List.of(new KeyValue("KEDGE_GREETING", "hello-" + run)),
                List.of(new Mount("/data", volume.toString(), true)), Map.of("io.kubernetes.container.name", "app"),
                Map.of("kedge.dev/attempt", "0"), "app/0.log", LinuxResources.NONE, null, false, false, false,
                false);
        String containerId = timed("CreateContainer", () -> runtime.createContainer(sandboxId, app, pod));
        assertEquals(ContainerState.CREATED, runtime.containerStatus(containerId).orElseThrow().info().state());
        timed("StartContainer", () -> {
            runtime.startContainer(containerId);
            return null;
        });

        ContainerInfo listed = runtime.listContainers().stream().filter(c -> c.id().equals(containerId)).findFirst()
                .orElseThrow();
        assertEquals(ContainerState.RUNNING, listed.state());
        assertEquals(sandboxId, listed.sandboxId());
        assertEquals("app", listed.name());
        assertEquals("app", listed.labels().get("io.kubernetes.container.name"));
        ContainerStatus running = runtime.containerStatus(containerId).orElseThrow();
        assertEquals(ContainerState.RUNNING, running.info().state());
        assertEquals(sandboxId, running.info().sandboxId());
        assertTrue(running.startedAtNanos() > 0);
        assertTrue(running.info().imageRef().startsWith("sha256:"), running.info().imageRef());
        assertEquals(logs.resolve("app/0.log").toString(), running.logPath());

        ExecResult exec = runtime.execSync(containerId, List.of("sh", "-c", "echo $KEDGE_GREETING; cat /data/greeting.txt"),
                Duration.ofSeconds(5));
        assertEquals(0, exec.exitCode(), exec.toString());
        assertEquals("hello-" + run + "\nfrom-the-host-" + run, exec.stdout().strip());
        ExecResult failing = runtime.execSync(containerId, List.of("sh", "-c", "echo oops >&2; exit 3"),
                Duration.ofSeconds(5));
        assertEquals(3, failing.exitCode());
        assertEquals("oops", failing.stderr().strip());

        Path log = Path.of(running.logPath());
        assertTrue(eventually(() -> Files.exists(log) && read(log).contains(" hi")), "log file has hi: " + log);

        long stopStart = System.nanoTime();
        runtime.stopContainer(containerId, Duration.ofSeconds(1));
        LOG.info("StopContainer (1 s grace, sleep ignores TERM): {} ms", (System.nanoTime() - stopStart) / 1_000_000);
        ContainerStatus exited = runtime.containerStatus(containerId).orElseThrow();
        assertEquals(ContainerState.EXITED, exited.info().state());
        assertEquals(137, exited.exitCode(), "killed after the grace period: " + exited);
        assertTrue(exited.finishedAtNanos() >= exited.startedAtNanos());
        runtime.stopContainer(containerId, Duration.ofSeconds(1));

        runtime.removeContainer(containerId);
        assertEquals(Optional.empty(), runtime.containerStatus(containerId));
        runtime.removeContainer(containerId);

        runtime.stopPodSandbox(sandboxId);
        assertEquals(SandboxState.NOTREADY, runtime.podSandboxStatus(sandboxId).orElseThrow().info().state());
        runtime.removePodSandbox(sandboxId);
        assertEquals(Optional.empty(), runtime.podSandboxStatus(sandboxId));
        runtime.removePodSandbox(sandboxId);
        runtime.stopPodSandbox(sandboxId);
    }

    @Test
    void privilegedContainerNeedsAPrivilegedSandbox() {
        String uid = UUID.randomUUID().toString();
        SandboxSpec plain = new SandboxSpec("kedge-plain-" + run, "kedge-test", uid, 0, "", "", true, Map.of(),
                Map.of(), List.of(), "", List.of(), List.of(), List.of());
        SandboxSpec privileged = new SandboxSpec("kedge-priv-" + run, "kedge-test", uid + "-p", 0, "", "", true,
                Map.of(), Map.of(), List.of(), "", List.of(), List.of(), List.of(), true);
        ContainerSpec app = new ContainerSpec("priv", 0, BUSYBOX, List.of("sleep", "3600"), List.of(), "", List.of(),
                List.of(), Map.of(), Map.of(), "", LinuxResources.NONE, 0L, true, false, false, false);

        String plainId = runtime.runPodSandbox(plain);
        sandboxes.add(plainId);
        RuntimeCallException refused = assertThrows(RuntimeCallException.class,
                () -> runtime.createContainer(plainId, app, plain));
        LOG.info("privileged container in an unprivileged sandbox: {}", refused.getMessage());

        String privId = runtime.runPodSandbox(privileged);
        sandboxes.add(privId);
        String id = runtime.createContainer(privId, app, privileged);
        runtime.startContainer(id);
        // privileged: the host's devices are there
        ExecResult exec = runtime.execSync(id, List.of("sh", "-c", "id -u; ls /dev | wc -l"), Duration.ofSeconds(5));
        assertEquals(0, exec.exitCode(), exec.toString());
        assertEquals("0", exec.stdout().lines().findFirst().orElse(""));
        runtime.removeContainer(id);
    }

    /** containerd's event service on the CRI socket: only the task and container events of CRI's namespace. */
    @Test
    void eventsOfAPodsContainersArriveFilteredAndTheSubscriptionEndsWhenClosed() throws Exception {
        RuntimeEvents events = runtime.subscribeEvents();
        try {
            assertEquals(List.of(), events.poll(), "nothing happened yet");
            String uid = UUID.randomUUID().toString();
            work = Files.createTempDirectory("kedge-cri-" + run); // removed after the test
            Path logs = Files.createDirectories(work.resolve("l"));
            SandboxSpec pod = new SandboxSpec("kedge-ev-" + run, "kedge-test", uid, 0, "", logs.toString(), true,
                    Map.of("io.kubernetes.pod.uid", uid), Map.of(), List.of(), "", List.of(), List.of(), List.of());
            String sandboxId = runtime.runPodSandbox(pod);
            sandboxes.add(sandboxId);
            ContainerSpec app = new ContainerSpec("app", 0, BUSYBOX, List.of("sh", "-c"), List.of("exit 3"), "",
                    List.of(), List.of(), Map.of(), Map.of(), "app.log", LinuxResources.NONE, null, false, false,
                    false, false);
            String containerId = runtime.createContainer(sandboxId, app, pod);
            runtime.startContainer(containerId);

            List<String> topics = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < end && topics.stream().filter("/tasks/exit"::equals).count() < 1) {
                topics.addAll(events.poll());
                Thread.sleep(20);
            }
            LOG.info("containerd's events for a sandbox and a container that exits: {}", topics);
            assertTrue(topics.containsAll(List.of("/containers/create", "/tasks/create", "/tasks/start",
                    "/tasks/exit")), topics.toString());
            assertTrue(topics.stream().allMatch(t -> t.startsWith("/tasks/") || t.startsWith("/containers/")),
                    "the runtime filtered (no /snapshot/ or /images/ events): " + topics);
            assertTrue(eventually(() -> runtime.containerStatus(containerId).orElseThrow().exitCode() == 3),
                    "CRI's state follows the event");
        } finally {
            events.close();
        }
        RuntimeCallException closed = assertThrows(RuntimeCallException.class, events::poll);
        assertTrue(closed.unavailable(), closed.getMessage());
    }

    @Test
    void missingSocketFailsFastWithUnavailable() {
        CriRuntimeComponent absent = new CriRuntimeComponent(
                TestConfigs.config("unix:///tmp/kedge-cri-absent-" + run + ".sock"));
        try {
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                RuntimeCallException e = assertThrows(RuntimeCallException.class, absent::version);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(e.unavailable(), e.getMessage());
                assertTrue(ms < 2000, "failed after " + ms + " ms");
                LOG.info("missing socket, call {}: {} ms: {}", i + 1, ms, e.getMessage());
            }
        } finally {
            absent.deactivate();
        }
    }

    private static <T> T timed(String call, Supplier<T> action) {
        long start = System.nanoTime();
        T result = action.get();
        LOG.info("{}: {} ms", call, (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.get();
    }

}
