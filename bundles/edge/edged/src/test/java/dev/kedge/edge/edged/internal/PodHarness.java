package dev.kedge.edge.edged.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.testing.TestScheduler;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * A {@link PodManager} on real threads with the in-JVM runtime, the recording bus as MetaManager, a clock the test
 * moves (back-off) and real time for the relist (100 ms).
 */
final class PodHarness implements AutoCloseable {
    static final String NODE = "edge-1";

    final FakeMetaManager bus;
    final FakeRuntime runtime;
    final FakeSpecs specs = new FakeSpecs();
    final MutableClock clock;
    final TestScheduler scheduler = new TestScheduler();
    final List<RuntimeHealth> health = new CopyOnWriteArrayList<>();
    final PodManager pods;

    PodHarness(Path dir) {
        this(dir, new FakeMetaManager(), null, new MutableClock());
    }

    /** With Edged configuration entries that replace the harness's. */
    PodHarness(Path dir, Map<String, String> config) {
        this(dir, new FakeMetaManager(), null, new MutableClock(), false, config);
    }

    PodHarness(Path dir, FakeMetaManager bus, FakeRuntime runtime, MutableClock clock) {
        this(dir, bus, runtime, clock, false);
    }

    /** {@code realSpecs}: the {@code spec} package's classes instead of {@link FakeSpecs}. */
    PodHarness(Path dir, FakeMetaManager bus, FakeRuntime runtime, MutableClock clock, boolean realSpecs) {
        this(dir, bus, runtime, clock, realSpecs, Map.of());
    }

    private PodHarness(Path dir, FakeMetaManager bus, FakeRuntime runtime, MutableClock clock, boolean realSpecs,
            Map<String, String> config) {
        this.bus = bus;
        this.clock = clock;
        this.runtime = runtime != null ? runtime : new FakeRuntime(clock);
        Map<String, String> c = new HashMap<>();
        c.put("nodeName", NODE);
        c.put("rootDirectory", dir.toString());
        c.put("podLogsRootDirectory", dir.resolve("logs").toString());
        c.put("relistPeriodMs", "100");
        c.put("relistIdlePeriodMs", "100");
        c.put("syncTimeout", "2");
        c.putAll(config);
        EdgedSettings s = EdgedSettings.of(TestConfigs.config(c), "0.1.0.test");
        pods = new PodManager(bus, s, scheduler, clock, () -> NODE, () -> "127.0.0.1", health::add,
                (rt, objects) -> realSpecs ? PodSpecs.of(rt, s.pods().podsDirectory(), objects, clock) : specs);
    }

    PodHarness start() {
        pods.runtimeChanged(runtime);
        pods.start();
        return this;
    }

    @Override
    public void close() throws InterruptedException {
        pods.stop();
        scheduler.stop();
    }

    static ObjectNode pod(String name, String uid, String... containers) {
        ObjectNode pod = MessageCodec.mapper().createObjectNode();
        pod.put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode meta = pod.putObject("metadata");
        meta.put("name", name).put("namespace", "default").put("uid", uid)
                .put("creationTimestamp", "2026-03-01T09:59:59Z");
        ObjectNode spec = pod.putObject("spec");
        spec.put("nodeName", NODE).put("hostNetwork", true);
        for (String c : containers) {
            spec.withArray("containers").addObject().put("name", c).put("image", "docker.io/library/kedge-busybox:1");
        }
        return pod;
    }

    void send(String op, JsonNode pod) {
        pods.receive(Message.create(ModuleNames.EDGECONTROLLER, "resource", op,
                PodJson.namespace(pod) + "/pod/" + PodJson.name(pod), pod));
    }

    /** The first pod status update sent for {@code name} whose Status matches. */
    JsonNode awaitStatus(String name, Predicate<JsonNode> match, String what) throws InterruptedException {
        Message m = bus.await(x -> x.resource().equals("default/podstatus/" + name)
                && match.test(MessageCodec.contentTree(x).path("Status")), Duration.ofSeconds(5), what);
        return MessageCodec.contentTree(m).path("Status");
    }

    Message awaitDelete(String name) throws InterruptedException {
        return bus.await(x -> Operations.DELETE.equals(x.operation()) && x.resource().equals("default/pod/" + name),
                Duration.ofSeconds(10), "delete confirmation of " + name);
    }

    static JsonNode container(JsonNode status, String name) {
        for (JsonNode c : status.path("containerStatuses")) {
            if (name.equals(c.path("name").asText())) {
                return c;
            }
        }
        return MessageCodec.mapper().createObjectNode();
    }

    static String condition(JsonNode status, String type) {
        for (JsonNode c : status.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c.path("status").asText();
            }
        }
        return "";
    }
}
