package dev.kedge.edge.twin.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/**
 * Load program: N mapper twin updates (mappers-go payloads, 100 devices × 10 twins) through
 * {@link TwinProcessor#receive} into a real SQLite file, timed until the last one is committed and its result
 * handed to the bus. The cloud is away, so every update also lands in the outbox.
 *
 * Prints wall-clock and per-CPU-second rates: on a shared machine the second is the one that means something.
 * <pre>
 * [JAVA_OPTS=-Dbench.updates=200000] taskset -c 0 scripts/bench.sh twin
 * </pre>
 */
public final class TwinBenchmark {
    private TwinBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int updates = Integer.getInteger("bench.updates", 200_000);
        Path dir = Files.createTempDirectory("kedge-twin-bench");
        System.out.printf("Java %s, %d CPUs, SQLite file in %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), dir);
        run(dir.resolve("warmup.db"), 30_000, "warm-up");
        run(dir.resolve("bench.db"), updates, "measured");
        startUp(dir.resolve("bench.db"));
    }

    /** CPU time of this JVM (all threads): with other load on the machine, wall time alone says little. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** What a restart costs: opening the tables again and loading every device and twin into memory. */
    private static void startUp(Path db) {
        SqliteStore store = TestStores.open(db);
        try {
            long t0 = System.nanoTime();
            TwinProcessor twin = new TwinProcessor(new CountingBus(), store, TwinSettings.defaults(), () -> "edge-1");
            long t1 = System.nanoTime();
            System.out.printf("start-up: %d devices, %d twins, %d reports waiting, loaded in %.1f ms%n",
                    twin.stats().devices(), twin.stats().twins(), twin.stats().outboxPending(), (t1 - t0) / 1e6);
            twin.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            store.close(Duration.ofSeconds(10));
        }
    }

    private static void run(Path db, int updates, String label) throws Exception {
        CountingBus bus = new CountingBus();
        SqliteStore store = TestStores.open(db);
        TwinProcessor twin = new TwinProcessor(bus, store, TwinSettings.defaults(), () -> "edge-1");
        try {
            StringBuilder added = new StringBuilder("{\"event_id\":\"b\",\"timestamp\":1,\"added_devices\":[");
            for (int d = 0; d < 100; d++) {
                added.append(d == 0 ? "" : ",").append("{\"id\":\"default/dev-").append(d).append("\",\"name\":\"dev-")
                        .append(d).append("\"}");
            }
            twin.receive(TwinTestSupport.controller("membership", added.append("]}").toString()));
            String[] topics = new String[100];
            for (int d = 0; d < 100; d++) {
                topics[d] = "$hw/events/device/default/dev-" + d + "/twin/update";
            }
            long before = twin.counters.twinUpdates.sum();
            long cpu0 = processCpuNanos();
            long start = System.nanoTime();
            for (int i = 0; i < updates; i++) {
                String payload = "{\"event_id\":\"\",\"timestamp\":" + i + ",\"twin\":{\"p" + (i % 10)
                        + "\":{\"actual\":{\"value\":\"" + i + "\"},\"metadata\":{\"type\":\"int\"}}}}";
                twin.receive(TwinTestSupport.mqtt(topics[(i / 10) % 100], payload));
            }
            long received = System.nanoTime();
            while (twin.counters.twinUpdates.sum() - before < updates) {
                if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                    throw new IllegalStateException("not done in 5 min: " + twin.stats());
                }
                Thread.sleep(1);
            }
            long done = System.nanoTime();
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            double seconds = (done - start) / 1e9;
            System.out.printf("%s: %,d twin updates committed in %.2f s = %,.0f updates/s wall (receive alone %.2f s);"
                    + " process CPU %.2f s = %,.0f updates per CPU-second; %,d messages to mappers, %d failed writes,"
                    + " outbox rows %d%n", label, updates, seconds, updates / seconds, (received - start) / 1e9,
                    cpuSeconds, updates / cpuSeconds, bus.sent.sum(), twin.stats().failedWrites(),
                    twin.stats().outboxPending());
        } finally {
            twin.stop();
            store.close(Duration.ofSeconds(10));
        }
    }

    /** Counts what DeviceTwin sends; keeps nothing. */
    static final class CountingBus implements MessageBus {
        final LongAdder sent = new LongAdder();

        @Override
        public void send(String module, Message message) {
            sent.increment();
        }

        @Override
        public int sendToGroup(String group, Message message) {
            sent.increment();
            return 1;
        }

        @Override
        public Message sendSync(String module, Message message, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Message sendToGroupSync(String group, Message message, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean respond(Message response) {
            return false;
        }

        @Override
        public List<ModuleInfo> modules() {
            return List.of();
        }

        @Override
        public dev.kedge.core.Inbox openInbox(String module, String group, int capacity,
                java.util.function.Predicate<Message> admit) {
            throw new UnsupportedOperationException();
        }
    }
}
