package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;
import dev.kedge.edge.edged.EdgedPodInfo;
import dev.kedge.edge.edged.internal.spec.ProbeResult;

/** The pod lifecycle against the in-JVM runtime: what reaches the runtime and what goes upstream. */
@Timeout(30)
class PodLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void anInsertedPodRunsAndItsRunningStatusGoesUpstream() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            long t0 = System.nanoTime();
            h.send("insert", PodHarness.pod("web", "uid-web", "app"));
            JsonNode status = h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 1000, "insert → Running status took " + ms + " ms");

            List<ContainerInfo> running = h.runtime.containers(ContainerState.RUNNING);
            assertEquals(1, running.size());
            ContainerInfo c = running.get(0);
            assertEquals("uid-web", c.labels().get(CriLabels.POD_UID));
            assertEquals("app", c.labels().get(CriLabels.CONTAINER_NAME));
            assertEquals(1, h.runtime.allSandboxes().size());

            JsonNode app = PodHarness.container(status, "app");
            assertEquals("containerd://" + c.id(), app.path("containerID").asText());
            assertTrue(app.path("state").path("running").has("startedAt"));
            assertTrue(app.path("ready").asBoolean());
            assertEquals(0, app.path("restartCount").asInt());
            assertEquals("True", PodHarness.condition(status, "Ready"));
            assertEquals("127.0.0.1", status.path("podIP").asText(), "hostNetwork: the pod IP is the host's");
            assertEquals("BestEffort", status.path("qosClass").asText());

            Message sent = h.bus.await(m -> m.resource().equals("default/podstatus/web"), Duration.ofSeconds(1), "");
            assertEquals("uid-web", MessageCodec.contentTree(sent).path("UID").asText());
            assertEquals(ModuleNames.METAMANAGER, h.bus.sent().stream().filter(x -> x.message() == sent).findFirst()
                    .orElseThrow().target());

            EdgedPodInfo view = h.pods.pods().get(0);
            assertEquals("Running", view.phase());
            assertEquals(1, view.ready());
        }
    }

    @Test
    void aNodeWithoutPodsIsListedEveryIdlePeriodAndOneWithPodsEveryPeriod() throws Exception {
        try (PodHarness h = new PodHarness(dir, java.util.Map.of("relistIdlePeriodMs", "1000")).start()) {
            await("first listing", () -> count(h, "ListPodSandbox") > 0);
            int lists = count(h, "ListPodSandbox");
            int statuses = count(h, "Status");
            Thread.sleep(2500);
            int idleLists = count(h, "ListPodSandbox") - lists;
            assertTrue(idleLists >= 1 && idleLists <= 4, "listings in 2.5 s without pods (every 1 s, not every "
                    + "100 ms): " + idleLists);
            assertTrue(count(h, "Status") - statuses >= idleLists, "the runtime's health is asked at each of them");

            h.send("insert", PodHarness.pod("web", "uid-idle", "app"));
            h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            lists = count(h, "ListPodSandbox");
            Thread.sleep(2000);
            int busyLists = count(h, "ListPodSandbox") - lists;
            assertTrue(busyLists >= 6, "listings in 2 s with a pod (every 100 ms): " + busyLists);
        }
    }

    private static int count(PodHarness h, String call) {
        return (int) h.runtime.calls.stream().filter(call::equals).count();
    }

    @Test
    void aCrashingContainerIsRestartedWithCrashLoopBackOff() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode pod = PodHarness.pod("crash", "uid-crash", "app");
            h.send("insert", pod);
            h.awaitStatus("crash", s -> "Running".equals(s.path("phase").asText()), "Running");

            crash(h); // first crash: restarted at once
            h.awaitStatus("crash", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1
                    && PodHarness.container(s, "app").path("state").has("running"), "restart 1");

            crash(h); // second: 10 s back-off
            JsonNode waiting = h.awaitStatus("crash", s -> "CrashLoopBackOff".equals(
                    PodHarness.container(s, "app").path("state").path("waiting").path("reason").asText()),
                    "CrashLoopBackOff");
            JsonNode app = PodHarness.container(waiting, "app");
            assertTrue(app.path("state").path("waiting").path("message").asText().startsWith("back-off 10s"),
                    app.toString());
            assertEquals(137, app.path("lastState").path("terminated").path("exitCode").asInt());
            assertEquals(1, app.path("restartCount").asInt());
            Thread.sleep(300);
            assertEquals(0, h.runtime.containers(ContainerState.RUNNING).size(), "no restart during the back-off");

            h.clock.advance(Duration.ofSeconds(10));
            h.send("update", pod); // any sync after the back-off restarts it
            h.awaitStatus("crash", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 2
                    && PodHarness.container(s, "app").path("state").has("running"), "restart 2");

            crash(h);
            JsonNode longer = h.awaitStatus("crash", s -> PodHarness.container(s, "app").path("state")
                    .path("waiting").path("message").asText().startsWith("back-off 20s"), "back-off doubled");
            assertEquals("Running", longer.path("phase").asText(), "restartPolicy Always stays Running");
        }
    }

    @Test
    void aNeverPodThatExitsCleanlySucceedsAndIsNotRestarted() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode pod = PodHarness.pod("job", "uid-job", "app");
            ((ObjectNode) pod.get("spec")).put("restartPolicy", "Never");
            h.send("insert", pod);
            h.awaitStatus("job", s -> "Running".equals(s.path("phase").asText()), "Running");
            ContainerInfo c = h.runtime.containers(ContainerState.RUNNING).get(0);
            h.runtime.exit(c.id(), 0, "Completed");
            JsonNode done = h.awaitStatus("job", s -> "Succeeded".equals(s.path("phase").asText()), "Succeeded");
            assertEquals("Completed", PodHarness.container(done, "app").path("state").path("terminated")
                    .path("reason").asText());
            Thread.sleep(300);
            assertEquals(1, h.runtime.allContainers().size(), "not restarted");
        }
    }

    @Test
    void aGracefulDeleteRunsPreStopStopsWithTheGraceAndConfirmsTheDelete() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode pod = PodHarness.pod("bye", "uid-bye", "app");
            ((ObjectNode) pod.get("spec")).put("terminationGracePeriodSeconds", 7);
            ((ObjectNode) pod.at("/spec/containers/0")).putObject("lifecycle").putObject("preStop")
                    .putObject("exec").putArray("command").add("sh").add("-c").add("echo bye");
            h.send("insert", pod);
            h.awaitStatus("bye", s -> "Running".equals(s.path("phase").asText()), "Running");
            String id = h.runtime.containers(ContainerState.RUNNING).get(0).id();

            ObjectNode deleting = pod.deepCopy();
            ((ObjectNode) deleting.get("metadata")).put("deletionTimestamp", "2026-03-01T10:01:00Z")
                    .put("deletionGracePeriodSeconds", 7);
            h.send("update", deleting);
            Message confirm = h.awaitDelete("bye");
            assertEquals("uid-bye", confirm.content(), "KubeEdge confirms with the pod UID");

            assertEquals(List.of("sh", "-c", "echo bye"), h.runtime.execs.get(0).command());
            FakeRuntime.Stop stop = h.runtime.stops.stream().filter(s -> s.containerId().equals(id)).findFirst()
                    .orElseThrow();
            assertEquals(Duration.ofSeconds(7), stop.grace());
            assertTrue(h.runtime.allSandboxes().isEmpty(), "sandbox removed");
            assertTrue(h.runtime.allContainers().isEmpty(), "containers removed");
            assertEquals(List.of("uid-bye"), h.specs.tearDowns);
            assertEquals("Terminating", h.pods.pods().get(0).phase());

            h.pods.receive(Message.create(ModuleNames.EDGECONTROLLER, "resource", "delete", "default/pod/bye",
                    "{\"metadata\":{\"name\":\"bye\",\"namespace\":\"default\",\"uid\":\"uid-bye\"}}"));
            await("pod forgotten", () -> h.pods.pods().isEmpty());
        }
    }

    @Test
    void aRestartedEdgedAdoptsTheRunningContainersAndKeepsTheRestartCount() throws Exception {
        FakeMetaManager bus = new FakeMetaManager();
        MutableClock clock = new MutableClock();
        FakeRuntime runtime = new FakeRuntime(clock);
        ObjectNode pod = PodHarness.pod("keep", "uid-keep", "app");
        String id;
        try (PodHarness first = new PodHarness(dir, bus, runtime, clock).start()) {
            first.send("insert", pod);
            first.awaitStatus("keep", s -> "Running".equals(s.path("phase").asText()), "Running");
            runtime.exit(runtime.containers(ContainerState.RUNNING).get(0).id(), 1, "Error");
            first.awaitStatus("keep", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1
                    && PodHarness.container(s, "app").path("state").has("running"), "restarted once");
            id = runtime.containers(ContainerState.RUNNING).get(0).id();
        }
        int created = (int) runtime.calls.stream().filter("CreateContainer"::equals).count();
        bus.clear();
        bus.meta.put("default/pod/keep", pod.toString());
        try (PodHarness second = new PodHarness(dir, bus, runtime, clock).start()) {
            JsonNode status = second.awaitStatus("keep", s -> "Running".equals(s.path("phase").asText()), "adopted");
            JsonNode app = PodHarness.container(status, "app");
            assertEquals("containerd://" + id, app.path("containerID").asText(), "same container");
            assertEquals(1, app.path("restartCount").asInt(), "restart count kept");
            Thread.sleep(300);
            assertEquals(created, runtime.calls.stream().filter("CreateContainer"::equals).count(),
                    "nothing created");
            assertEquals(1, runtime.containers(ContainerState.RUNNING).size());
        }
    }

    @Test
    void podsInTheRuntimeButNotInMetaAreRemovedAndForeignOnesLeftAlone() throws Exception {
        MutableClock clock = new MutableClock();
        FakeRuntime runtime = new FakeRuntime(clock);
        String[] orphan = runtime.plant(Map.of(CriLabels.POD_UID, "uid-gone", CriLabels.POD_NAME, "gone",
                CriLabels.POD_NAMESPACE, "default", CriLabels.MANAGED_BY, "edged", CriLabels.NODE, PodHarness.NODE),
                "app");
        String[] foreign = runtime.plant(Map.of(CriLabels.POD_UID, "uid-kubelet", CriLabels.POD_NAME, "other"),
                "app");
        String[] otherNode = runtime.plant(Map.of(CriLabels.POD_UID, "uid-n2", CriLabels.MANAGED_BY, "edged",
                CriLabels.NODE, "edge-2"), "app");
        try (PodHarness h = new PodHarness(dir, new FakeMetaManager(), runtime, clock).start()) {
            await("orphan removed", () -> runtime.allSandboxes().stream().noneMatch(s -> s.id().equals(orphan[0])));
            assertTrue(runtime.stops.stream().anyMatch(s -> s.containerId().equals(orphan[1])
                    && s.grace().equals(Duration.ofSeconds(3))), "stopped with the grace it was created with");
            assertTrue(runtime.allSandboxes().stream().anyMatch(s -> s.id().equals(foreign[0])));
            assertTrue(runtime.allSandboxes().stream().anyMatch(s -> s.id().equals(otherNode[0])));
            assertEquals(2, runtime.containers(ContainerState.RUNNING).size());
            assertTrue(h.bus.sent().stream().noneMatch(c -> c.message().operation().equals("delete")),
                    "an orphan is not confirmed upstream");
        }
    }

    @Test
    void aFailingLivenessProbeRestartsTheContainerAndReadinessGatesReady() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode pod = PodHarness.pod("probed", "uid-probed", "app");
            ObjectNode c = (ObjectNode) pod.at("/spec/containers/0");
            c.putObject("readinessProbe").put("periodSeconds", 1).putObject("exec").putArray("command").add("ready");
            c.putObject("livenessProbe").put("periodSeconds", 1).put("failureThreshold", 2).putObject("exec")
                    .putArray("command").add("alive");
            h.specs.probes = p -> new ProbeResult(false, "not yet");
            h.send("insert", pod);
            JsonNode notReady = h.awaitStatus("probed", s -> "Running".equals(s.path("phase").asText()), "Running");
            assertEquals("False", PodHarness.condition(notReady, "Ready"));
            assertFalse(PodHarness.container(notReady, "app").path("ready").asBoolean());

            // liveness fails twice (2 s) → killed and restarted
            h.awaitStatus("probed", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1,
                    "restarted by liveness");

            h.specs.probes = p -> new ProbeResult(true, "");
            JsonNode ready = h.awaitStatus("probed", s -> "True".equals(PodHarness.condition(s, "Ready")), "Ready");
            assertTrue(PodHarness.container(ready, "app").path("ready").asBoolean());
        }
    }

    @Test
    void anImageThatMayNotBePulledShowsItsReasonAndOtherPodsRun() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode bad = PodHarness.pod("bad", "uid-bad", "app");
            ((ObjectNode) bad.at("/spec/containers/0")).put("image", "never/there:1");
            h.send("insert", bad);
            h.send("insert", PodHarness.pod("good", "uid-good", "app"));
            JsonNode status = h.awaitStatus("bad", s -> "ErrImageNeverPull".equals(PodHarness.container(s, "app")
                    .path("state").path("waiting").path("reason").asText()), "ErrImageNeverPull");
            assertEquals("Pending", status.path("phase").asText());
            h.awaitStatus("good", s -> "Running".equals(s.path("phase").asText()), "good Running");
        }
    }

    @Test
    void initContainersRunInOrderBeforeTheApp() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            ObjectNode pod = PodHarness.pod("init", "uid-init", "app");
            ((ObjectNode) pod.get("spec")).withArray("initContainers").addObject().put("name", "first")
                    .put("image", "docker.io/library/kedge-busybox:1");
            h.send("insert", pod);
            JsonNode initializing = h.awaitStatus("init", s -> "PodInitializing".equals(PodHarness.container(s,
                    "app").path("state").path("waiting").path("reason").asText()), "PodInitializing");
            assertEquals("False", PodHarness.condition(initializing, "Initialized"));
            ContainerInfo first = h.runtime.containers(ContainerState.RUNNING).get(0);
            assertEquals("first", first.labels().get(CriLabels.CONTAINER_NAME));
            h.runtime.exit(first.id(), 0, "Completed");
            JsonNode running = h.awaitStatus("init", s -> "Running".equals(s.path("phase").asText()), "Running");
            assertEquals("True", PodHarness.condition(running, "Initialized"));
            assertEquals(0, running.at("/initContainerStatuses/0/state/terminated/exitCode").asInt());
        }
    }

    @Test
    void aMissingOrDeadRuntimeMakesTheNodeNotReadyUntilItIsBack() throws Exception {
        try (PodHarness h = new PodHarness(dir)) {
            assertEquals(RuntimeHealth.MISSING, h.pods.health());
            h.start();
            await("ready", () -> h.pods.health().ready());
            assertEquals("containerd://1.6.20", h.pods.health().version());
            h.runtime.down = true;
            await("not ready", () -> !h.pods.health().ready());
            assertTrue(h.pods.health().message().startsWith("container runtime is down"), h.pods.health().message());
            h.runtime.down = false;
            await("ready again", () -> h.pods.health().ready());
            assertTrue(h.health.stream().anyMatch(x -> !x.ready()), "the node agent was told");
        }
    }

    private static void crash(PodHarness h) throws InterruptedException {
        await("a running container", () -> !h.runtime.containers(ContainerState.RUNNING).isEmpty());
        ContainerInfo c = h.runtime.containers(ContainerState.RUNNING).get(0);
        h.runtime.exit(c.id(), 137, "Error");
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("not within 10 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
