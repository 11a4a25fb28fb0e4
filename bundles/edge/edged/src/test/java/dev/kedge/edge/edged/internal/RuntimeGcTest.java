package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;

/** Garbage collection of exited containers, the logs view, and catching up with the cloud after a reconnect. */
@Timeout(30)
class RuntimeGcTest {
    @TempDir
    Path dir;

    @Test
    void onlyTheNewestExitedContainerPerPodContainerIsKept() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            h.send("insert", PodHarness.pod("gc", "uid-gc", "app"));
            h.awaitStatus("gc", s -> "Running".equals(s.path("phase").asText()), "Running");
            for (int i = 1; i <= 3; i++) { // three crashes, restarted (the clock jumps over each back-off)
                int restarts = i;
                ContainerInfo c = h.runtime.containers(ContainerState.RUNNING).get(0);
                h.runtime.exit(c.id(), 1, "Error");
                h.clock.advance(Duration.ofMinutes(6));
                h.send("update", PodHarness.pod("gc", "uid-gc", "app"));
                h.awaitStatus("gc", s -> PodHarness.container(s, "app").path("restartCount").asInt() == restarts
                        && PodHarness.container(s, "app").path("state").has("running"), "restart " + i);
            }
            assertEquals(3, h.runtime.containers(ContainerState.EXITED).size());
            Map<String, RuntimePod> pods = RuntimePod.group(h.runtime.listPodSandboxes(),
                    h.runtime.listContainers(), PodHarness.NODE);
            Map<String, String> current = new HashMap<>();
            current.put("uid-gc", h.runtime.allSandboxes().get(0).id());
            new RuntimeGc(EdgedSettings.of(TestConfigs.config(Map.of("rootDirectory", dir.toString())), "t").pods())
                    .collect(h.runtime, pods, uid -> true, current);
            List<ContainerInfo> exited = h.runtime.containers(ContainerState.EXITED);
            assertEquals(1, exited.size(), "maxPerPodContainerCount = 1");
            assertEquals(2, RuntimePod.restartCount(exited.get(0)), "the newest exited one stays (last state)");
            assertEquals(1, h.runtime.containers(ContainerState.RUNNING).size());
        }
    }

    @Test
    void theLastStatusIsSentAgainWhenTheCloudComesBack() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) {
            h.send("insert", PodHarness.pod("again", "uid-again", "app"));
            h.awaitStatus("again", s -> "Running".equals(s.path("phase").asText()), "Running");
            Thread.sleep(300); // the worker notes what it sent just after sending it
            long before = h.bus.sentTo("metamanager").stream()
                    .filter(m -> m.resource().equals("default/podstatus/again")).count();
            h.pods.linkChanged(true);
            long after = h.bus.sentTo("metamanager").stream()
                    .filter(m -> m.resource().equals("default/podstatus/again")).count();
            assertEquals(before + 1, after);
        }
    }

    @Test
    void theCriLogFormatIsReadBackAsPlainLines() throws Exception {
        Path log = dir.resolve("0.log");
        java.nio.file.Files.writeString(log, "2026-03-01T10:00:00.000000001Z stdout F one\n"
                + "2026-03-01T10:00:00.000000002Z stderr P tw\n2026-03-01T10:00:00.000000003Z stderr F o\n"
                + "2026-03-01T10:00:00.000000004Z stdout F three\n");
        assertEquals(List.of("two", "three"), ContainerLogs.tail(log, 2));
        assertEquals(List.of("one", "two", "three"), ContainerLogs.tail(log, 50));
    }

    @Test
    void goDurationsReadAsKubeletWritesThem() {
        assertEquals("10s", GoDuration.format(Duration.ofSeconds(10)));
        assertEquals("2m40s", GoDuration.format(Duration.ofSeconds(160)));
        assertEquals("5m0s", GoDuration.format(Duration.ofMinutes(5)));
    }
}
