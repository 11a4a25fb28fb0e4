package dev.kedge.device.host.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Message;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.device.driver.Driver;
import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.meta.MetaStats;
import dev.kedge.edge.twin.DeviceSummary;
import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinEntry;
import dev.kedge.edge.twin.TwinStats;

/**
 * A host with in-JVM stand-ins for MetaManager's table and DeviceTwin's expected values; reports land on a
 * {@link RecordingBus}. Drivers are the real ones.
 */
final class HostFixture implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    final RecordingBus bus = new RecordingBus();
    final Meta meta = new Meta();
    final Twin twin = new Twin();
    final Scheduler scheduler = new Scheduler();
    final HostComponent host;
    private final AtomicLong serviceIds = new AtomicLong(100);

    HostFixture(HostSettings settings) {
        host = new HostComponent(bus, meta, twin, scheduler, settings);
    }

    static HostSettings fast() {
        return new HostSettings(Duration.ofMillis(100), Duration.ofMillis(300), 4, 1024, 1000, 50, 1000, 500);
    }

    long addDriver(String protocol, Driver d) {
        long id = serviceIds.incrementAndGet();
        host.addDriver(new DriverBinding(d, protocol, "test-" + protocol + " [" + id + "]", id));
        return id;
    }

    /** Twin updates for {@code device} so far: property → reported values in order. */
    List<String> reported(String deviceId, String property) {
        List<String> out = new ArrayList<>();
        String topic = "$hw/events/device/" + deviceId + "/twin/update";
        for (Message m : bus.messages(RecordingBus.GROUP)) {
            if (!topic.equals(decode(m.resource()))) {
                continue;
            }
            JsonNode v = tree(m.contentAsString()).path("twin").path(property).path("actual").path("value");
            if (v.isTextual()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    List<String> states(String deviceId) {
        List<String> out = new ArrayList<>();
        String topic = "$hw/events/device/" + deviceId + "/state/update";
        for (Message m : bus.messages(RecordingBus.GROUP)) {
            if (topic.equals(decode(m.resource()))) {
                out.add(tree(m.contentAsString()).path("state").asText());
            }
        }
        return out;
    }

    static String decode(String resource) {
        return new String(java.util.Base64.getUrlDecoder().decode(resource), java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new AssertionError(s, e);
        }
    }

    /** A v1beta1 Device as KubeEdge's examples write it; {@code props} are YAML-free JSON property objects. */
    static String device(String ns, String name, String protocol, String protocolConfig, String... props) {
        return "{\"apiVersion\":\"devices.kubeedge.io/v1beta1\",\"kind\":\"Device\",\"metadata\":{\"name\":\"" + name
                + "\",\"namespace\":\"" + ns + "\",\"resourceVersion\":\"1\"},\"spec\":{\"deviceModelRef\":{\"name\":"
                + "\"m\"},\"nodeName\":\"n1\",\"protocol\":{\"protocolName\":\"" + protocol + "\",\"configData\":"
                + protocolConfig + "},\"properties\":[" + String.join(",", props) + "]}}";
    }

    static String property(String name, long cycleMs, String visitorConfig) {
        return "{\"name\":\"" + name + "\",\"collectCycle\":" + cycleMs + ",\"reportCycle\":" + cycleMs
                + ",\"reportToCloud\":true,\"visitors\":{\"protocolName\":\"x\",\"configData\":" + visitorConfig
                + "}}";
    }

    void await(String what, long seconds, java.util.function.BooleanSupplier ok) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what + "; devices " + host.devices());
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() throws Exception {
        host.deactivate();
        scheduler.pool.shutdownNow();
    }

    static final class Meta implements MetaManager {
        final Map<String, String[]> rows = new ConcurrentHashMap<>(); // key → {type, rv, json}
        final Map<String, AtomicLong> revisions = new ConcurrentHashMap<>();
        final AtomicInteger lists = new AtomicInteger();

        void put(String ns, String type, String name, String rv, String json) {
            rows.put(ns + "/" + type + "/" + name, new String[] {type, rv, json});
            revisions.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        }

        void remove(String ns, String type, String name) {
            rows.remove(ns + "/" + type + "/" + name);
            revisions.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
        }

        @Override
        public long revision(String type) {
            AtomicLong r = revisions.get(type);
            return r == null ? 0 : r.get();
        }

        @Override
        public List<MetaEntry> list(String type) {
            lists.incrementAndGet();
            List<MetaEntry> out = new ArrayList<>();
            rows.forEach((k, v) -> {
                if (v[0].equals(type)) {
                    out.add(new MetaEntry(k, v[0], v[1], v[2].length()));
                }
            });
            return out;
        }

        @Override
        public Optional<String> get(String key) {
            String[] v = rows.get(key);
            return v == null ? Optional.empty() : Optional.of(v[2]);
        }

        @Override
        public MetaStats stats() {
            return null;
        }
    }

    static final class Twin implements DeviceTwin {
        final Map<String, Map<String, String>> expected = new ConcurrentHashMap<>();

        @Override
        public List<DeviceSummary> devices() {
            return List.of();
        }

        @Override
        public List<TwinEntry> twins(String device) {
            List<TwinEntry> out = new ArrayList<>();
            expected.getOrDefault(device, Map.of()).forEach((k, v) -> out.add(new TwinEntry(k, v, null, "", "",
                    "string", false)));
            return out;
        }

        @Override
        public TwinStats stats() {
            return null;
        }
    }

    static final class Scheduler implements SharedScheduler {
        final ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(2, DaemonThreads.factory("test"));

        @Override
        public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
            return pool.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }

        final List<Map.Entry<String, ScheduledFuture<?>>> periodic = new java.util.concurrent.CopyOnWriteArrayList<>();

        /** Whether a periodic task named {@code what} is scheduled and not cancelled. */
        boolean periodic(String what) {
            return periodic.stream().anyMatch(e -> e.getKey().equals(what) && !e.getValue().isCancelled());
        }

        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay,
                Duration delay) {
            ScheduledFuture<?> f = pool.scheduleWithFixedDelay(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    org.slf4j.LoggerFactory.getLogger(HostFixture.class).error("task {} failed", what, e);
                }
            }, initialDelay.toNanos(), delay.toNanos(), TimeUnit.NANOSECONDS);
            periodic.add(Map.entry(what, f));
            return f;
        }

        @Override
        public Executor executor() {
            return pool;
        }
    }
}
