package dev.kedge.core.internal;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.kedge.core.Message;
import dev.kedge.core.MessageHeader;
import dev.kedge.core.MessageRoute;
import dev.kedge.core.Module;

/**
 * Load program for the real {@link MessageBusImpl} (default config: mailbox capacity 1024). Not a JMH benchmark: it
 * gives orders of magnitude, with a bounded warm-up and bounded runs; every phase also stops at a time cap.
 *
 * <pre>
 * scripts/bench.sh bus
 * # a small JVM:
 * JAVA_OPTS="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m" scripts/bench.sh bus
 * # sizes: JAVA_OPTS="-Dbench.messages=3000000 -Dbench.roundtrips=200000 -Dbench.runs=3 -Dbench.capSeconds=5" (cap per
 * #        phase, x2 for latency), or: scripts/bench.sh bus MESSAGES ROUNDTRIPS RUNS
 * </pre>
 * With the default (multi-GB) heap the sendSync tail is dominated by first-touch page faults of a huge eden that is
 * never recycled during the run; a small heap ({@code -Xmx64m}) or {@code -XX:+AlwaysPreTouch} removes most of it.
 */
public final class BusBenchmark {
    private static long capNanos;

    private BusBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // the bus logs one INFO line per instance; we create one per run
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        long messages = arg(args, 0, "bench.messages", 3_000_000);
        int roundTrips = (int) arg(args, 1, "bench.roundtrips", 200_000);
        int runs = (int) arg(args, 2, "bench.runs", 3);
        capNanos = TimeUnit.SECONDS.toNanos(Long.getLong("bench.capSeconds", 5));
        printJvm();
        System.out.printf("messages/run %,d   round trips %,d   runs %d (best and median shown)%n%n", messages,
                roundTrips, runs);

        // warm-up: the same code paths, smaller, results thrown away
        throughput(1, messages / 10);
        throughput(4, messages / 10);
        latency(roundTrips / 10);

        System.out.printf("%-34s %14s %14s%n", "throughput (msg/s)", "best", "median");
        for (int producers : new int[] { 1, 4 }) {
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = throughput(producers, messages);
            }
            Arrays.sort(rates);
            System.out.printf("%-34s %,14.0f %,14.0f%n", producers + " producer(s) -> " + producers + " module(s)",
                    rates[runs - 1], rates[runs / 2]);
        }
        long[] lat = latency(roundTrips);
        System.out.printf("%nsendSync round trip (us, %,d calls): p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                lat.length, us(lat, 0.50), us(lat, 0.90), us(lat, 0.99), us(lat, 0.999), lat[lat.length - 1] / 1e3);
    }

    /** {@code producers} threads, each sending {@code total / producers} messages to its own module. */
    static double throughput(int producers, long total) throws Exception {
        MessageBusImpl bus = new MessageBusImpl(TestBusConfig.defaults());
        try {
            long perProducer = total / producers;
            CountDownLatch done = new CountDownLatch(producers);
            for (int p = 0; p < producers; p++) {
                bus.bindModule(new Counter(perProducer, done), Map.of(Module.NAME, "bench-" + p, Module.GROUP, "bench"));
            }
            List<Thread> threads = new ArrayList<>();
            long[] sent = new long[producers];
            long start = System.nanoTime();
            long deadline = start + capNanos;
            for (int p = 0; p < producers; p++) {
                int id = p;
                // one prebuilt message: we measure the bus, not UUID generation
                Message m = message("bench-" + id);
                Thread t = new Thread(() -> {
                    long i = 0;
                    for (; i < perProducer; i++) {
                        if ((i & 1023) == 0 && System.nanoTime() > deadline) {
                            break;
                        }
                        bus.send("bench-" + id, m);
                    }
                    sent[id] = i;
                }, "bench-producer-" + p);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(TimeUnit.NANOSECONDS.toMillis(capNanos) + 10_000);
            }
            boolean complete = done.await(10, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - start;
            long count = Arrays.stream(sent).sum();
            if (!complete || count < perProducer * producers) {
                System.out.printf("  (%d->%d capped: %,d of %,d sent)%n", producers, producers, count,
                        perProducer * producers);
            }
            return count * 1e9 / elapsed;
        } finally {
            bus.deactivate();
        }
    }

    /** Sequential sendSync calls to a module that answers at once; each call's duration in ns, sorted. */
    static long[] latency(int roundTrips) {
        MessageBusImpl bus = new MessageBusImpl(TestBusConfig.defaults());
        try {
            bus.bindModule(req -> bus.respond(Message.responseTo(req, "OK")),
                    Map.of(Module.NAME, "echo", Module.GROUP, "bench"));
            long[] ns = new long[roundTrips];
            long deadline = System.nanoTime() + 2 * capNanos; // round trips are slow when a vCPU must be woken up
            int i = 0;
            for (; i < roundTrips && System.nanoTime() < deadline; i++) {
                Message req = new Message(new MessageHeader("rt-" + i, "", 0, "", false, ""),
                        new MessageRoute("bench", "", "bench", "query", "default/pod/x"), null);
                long t0 = System.nanoTime();
                bus.sendSync("echo", req, Duration.ofSeconds(5));
                ns[i] = System.nanoTime() - t0;
            }
            if (i < roundTrips) {
                System.out.printf("  (latency capped: %,d of %,d round trips)%n", i, roundTrips);
            }
            long[] done = Arrays.copyOf(ns, i);
            Arrays.sort(done);
            return done;
        } finally {
            bus.deactivate();
        }
    }

    /** Counts on the module's own thread; only the last message touches the latch. */
    private static final class Counter implements Module {
        private final long expected;
        private final CountDownLatch done;
        private long count;

        Counter(long expected, CountDownLatch done) {
            this.expected = expected;
            this.done = done;
        }

        @Override
        public void receive(Message message) {
            if (++count == expected) {
                done.countDown();
            }
        }
    }

    private static Message message(String module) {
        return new Message(new MessageHeader(Message.newId(), "", System.currentTimeMillis(), "1", false, ""),
                new MessageRoute("bench", "", "resource", "update", "default/pod/" + module), "payload");
    }

    private static double us(long[] sortedNs, double q) {
        return sortedNs[Math.min(sortedNs.length - 1, (int) (q * sortedNs.length))] / 1e3;
    }

    private static long arg(String[] args, int i, String property, long dflt) {
        if (args.length > i) {
            return Long.parseLong(args[i].replace("_", ""));
        }
        return Long.getLong(property, dflt);
    }

    private static void printJvm() {
        var rt = ManagementFactory.getRuntimeMXBean();
        // Maven's own -D settings are noise here; keep the flags that shape the JVM
        String flags = rt.getInputArguments().stream().filter(a -> !a.startsWith("-D"))
                .collect(Collectors.joining(" "));
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        System.out.printf("JVM   %s %s, %d CPUs, max heap %d MB, GC: %s%n", rt.getVmName(), rt.getVmVersion(),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, gcs);
        System.out.printf("flags %s%n", flags.isEmpty() ? "(none: JVM defaults)" : flags);
    }
}
