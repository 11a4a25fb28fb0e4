package dev.kedge.edge.edged.internal;

import static dev.kedge.edge.edged.internal.PodLifecycleTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.edge.cri.ContainerInfo;
import dev.kedge.edge.cri.ContainerState;

/**
 * The PLEG with containerd's events (in-JVM runtime; the subscription itself is tested against a real containerd in
 * the CRI bundle): listings follow the events, a lost subscription is listed and renewed, and a runtime without
 * events is listed every period as before. The harness ticks every 100 ms.
 */
@Timeout(30)
class EventedRelistTest {
    @TempDir
    Path dir;

    @Test
    void withEventsTheRuntimeIsListedWhenSomethingChangedOnly() throws Exception {
        PodHarness h = new PodHarness(dir);
        try (h) {
            h.runtime.eventService = true;
            h.start();
            h.send("insert", PodHarness.pod("web", "uid-ev", "app"));
            h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            await("the pod's events listed", () -> h.pods.evented() && h.runtime.polls.get() > 20);

            int lists = count(h, "ListPodSandbox");
            int polls = h.runtime.polls.get();
            Thread.sleep(1500);
            int quiet = count(h, "ListPodSandbox") - lists;
            assertTrue(h.runtime.polls.get() - polls >= 10, "the subscription is polled at each tick");
            assertTrue(quiet <= 2, "listings in 1.5 s without an event (the last events' follow-up at most; every "
                    + "100 ms without events): " + quiet);

            crash(h); // a /tasks/exit event: listed, seen, restarted
            h.awaitStatus("web", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1, "restart 1");
            assertEquals(1, count(h, "Subscribe"), "one subscription throughout");
        }
        assertEquals(0, h.runtime.openSubscriptions(), "Edged stopped: its subscription is ended, not left unread");
    }

    @Test
    void aSubscriptionThatEndsIsListedAtOnceAndRenewed() throws Exception {
        try (PodHarness h = new PodHarness(dir)) {
            h.runtime.eventService = true;
            h.start();
            h.send("insert", PodHarness.pod("web", "uid-end", "app"));
            h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            await("subscribed", h.pods::evented);
            Thread.sleep(500); // past the follow-up listings

            h.runtime.muted = true; // the exit's event is lost with the connection, as in a runtime restart
            crash(h);
            h.runtime.endSubscriptions();
            h.awaitStatus("web", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1,
                    "the exit seen by the listing that follows the end");
            await("subscribed again", () -> count(h, "Subscribe") == 2 && h.runtime.openSubscriptions() == 1);
        }
    }

    @Test
    void withEventsTheRuntimeIsStillListedEveryEventedPeriod() throws Exception {
        try (PodHarness h = new PodHarness(dir, Map.of("relistEventedPeriodMs", "700"))) {
            h.runtime.eventService = true;
            h.start();
            h.send("insert", PodHarness.pod("web", "uid-per", "app"));
            h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            await("subscribed", h.pods::evented);
            Thread.sleep(500);

            h.runtime.muted = true; // an event that never comes: the periodic listing finds the exit
            crash(h);
            h.awaitStatus("web", s -> PodHarness.container(s, "app").path("restartCount").asInt() == 1,
                    "the exit seen by the evented period's listing");
            assertEquals(1, count(h, "Subscribe"));
        }
    }

    @Test
    void withEventsARuntimeThatIsNotReadyIsAskedAtEveryTickUntilItIs() throws Exception {
        try (PodHarness h = new PodHarness(dir)) {
            h.runtime.eventService = true;
            h.start();
            await("subscribed and ready", () -> h.pods.evented() && h.pods.health().ready());

            h.runtime.runtimeReady = false; // no event tells: the health check every 10 ticks finds it
            await("not ready", () -> !h.pods.health().ready());
            int statuses = count(h, "Status");
            Thread.sleep(600);
            assertTrue(count(h, "Status") - statuses >= 3, "asked every 100 ms tick while not ready, not every "
                    + "1 s: " + (count(h, "Status") - statuses));

            h.runtime.runtimeReady = true;
            await("ready again", () -> h.pods.health().ready());
            assertTrue(h.pods.evented(), "the subscription stayed");
        }
    }

    @Test
    void aRuntimeWithoutEventsIsListedEveryPeriod() throws Exception {
        try (PodHarness h = new PodHarness(dir).start()) { // eventService off: UNIMPLEMENTED, as CRI-O answers
            h.send("insert", PodHarness.pod("web", "uid-none", "app"));
            h.awaitStatus("web", s -> "Running".equals(s.path("phase").asText()), "Running");
            await("the subscription refused", () -> count(h, "Subscribe") == 1 && h.runtime.openSubscriptions() == 0);
            assertFalse(h.pods.evented());

            int lists = count(h, "ListPodSandbox");
            Thread.sleep(1000);
            assertTrue(count(h, "ListPodSandbox") - lists >= 5, "listed every 100 ms");
            assertEquals(1, count(h, "Subscribe"), "not asked again at every listing");
        }
    }

    private static void crash(PodHarness h) throws InterruptedException {
        await("a running container", () -> !h.runtime.containers(ContainerState.RUNNING).isEmpty());
        ContainerInfo c = h.runtime.containers(ContainerState.RUNNING).get(0);
        h.runtime.exit(c.id(), 137, "Error");
    }

    private static int count(PodHarness h, String call) {
        return (int) h.runtime.calls.stream().filter(call::equals).count();
    }
}
