package dev.kedge.edge.meta.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;
import dev.kedge.edge.store.StoreStats;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/**
 * Load program: N cloud pod upserts through {@link MetaManagerComponent#receive} on a real SQLite file (temp dir), acks
 * timed from receive to the ack's send. Two phases: flood (as fast as receive takes them: throughput, latency
 * includes queueing) and paced (a fixed rate below saturation: the latency a commit costs).
 *
 * <pre>
 * [JAVA_OPTS="-Dbench.pods=100000 -Dbench.rate=5000"] scripts/bench.sh meta
 * </pre>
 */
public final class MetaBenchmark {
    private MetaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int pods = Integer.getInteger("bench.pods", 100_000);
        int rate = Integer.getInteger("bench.rate", 5_000);
        Path dir = Files.createTempDirectory("kedge-meta-bench");
        System.out.printf("Java %s, %d CPUs, SQLite file in %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), dir);
        run(dir.resolve("warmup.db"), 20_000, 0, "warm-up");
        run(dir.resolve("flood.db"), pods, 0, "flood");
        run(dir.resolve("paced.db"), Math.min(pods, rate * 10), rate, "paced " + rate + "/s");
    }

    private static void run(Path file, int n, int rate, String label) throws Exception {
        TimingBus bus = new TimingBus(n);
        try (SqliteStore store = TestStores.open(file)) {
            MetaManagerComponent meta = new MetaManagerComponent(bus, store, TestConfigs.of(MetaConfig.class));
            Message[] msgs = new Message[n];
            for (int i = 0; i < n; i++) {
                String name = "pod-" + i;
                msgs[i] = Message.create("edgecontroller", "resource", Operations.INSERT, "default/pod/" + name,
                        MessageCodec.mapper().readTree(MetaManagerTest.pod(name, "uid-" + i, String.valueOf(i + 1))));
            }
            long t0 = System.nanoTime();
            long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(1) / rate : 0;
            for (int i = 0; i < n; i++) {
                if (interval > 0) {
                    // sleep, not spin: on a small edge box a spinning producer steals the writer's CPU
                    long wait = t0 + i * interval - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                bus.sent.put(msgs[i].id(), System.nanoTime());
                meta.receive(msgs[i]);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (bus.acked.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long elapsed = bus.lastAck - t0;
            StoreStats s = store.stats();
            meta.stop();
            long[] lat = Arrays.copyOf(bus.latencies, (int) bus.acked.get());
            Arrays.sort(lat);
            System.out.printf("%-12s %,d upserts, %,d acked in %.2f s = %,.0f upserts/s; ack latency p50 %.2f ms,"
                    + " p99 %.2f ms, max %.2f ms; %,d commits (%.0f writes/commit); file %,d bytes%n", label, n,
                    lat.length, elapsed / 1e9, lat.length / (elapsed / 1e9), pct(lat, 50), pct(lat, 99),
                    lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, s.commits(), (double) s.writes() / s.commits(),
                    s.sizeBytes());
            store.close(Duration.ofSeconds(10));
        }
    }

    private static double pct(long[] sorted, int p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** Times acks: receive → the ack's send to websocket; records nothing (100,000s of messages). */
    private static final class TimingBus extends RecordingBus {
        final Map<String, Long> sent = new ConcurrentHashMap<>();
        final long[] latencies;
        final AtomicLong acked = new AtomicLong();
        volatile long lastAck;

        TimingBus(int n) {
            latencies = new long[n];
        }

        @Override
        public void send(String module, Message message) {
            Long t = sent.remove(message.parentId());
            if (t != null) {
                long now = System.nanoTime();
                latencies[(int) acked.getAndIncrement()] = now - t;
                lastAck = now;
            }
        }

        @Override
        public int sendToGroup(String group, Message message) {
            return 0;
        }
    }
}
