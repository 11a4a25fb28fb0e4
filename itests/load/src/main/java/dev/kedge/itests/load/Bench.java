package dev.kedge.itests.load;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.kedge.core.tls.CertificateAuthority;

/**
 * The CloudHub load benchmark (issue #3): N simulated edge nodes, spread over several {@link Fleet} processes
 * (at most {@code --per-process} connections each: a process may hold 20,000 descriptors) and loopback source
 * addresses 127.0.0.2…, against one running cloud distribution. Measures the cloud's heap (after full GC) and RSS
 * before and after N connections, the initial connect time, a connect storm (all N drop and reconnect at once), and
 * downstream latency at a fixed rate driven from the cloud console ({@code itest:cloud-down <node> 1 1}: each message
 * is created in the cloud with its header timestamp, so latency = edge receive time − timestamp on one clock).
 * <p>Every phase is bounded in time; the fleet processes are stopped by PID at the end, also on failure.
 */
public final class Bench {
    private final Map<String, String> a;
    private final Path work;
    private final long cloudPid;
    private final int nodes;
    /** Index of this run's first node: two runs against two replicas use disjoint node ranges. */
    private final int first;
    private final List<Worker> workers = new ArrayList<>();
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();

    private Bench(Map<String, String> a) {
        this.a = a;
        this.work = Path.of(a.getOrDefault("work", "target/bench")).toAbsolutePath();
        this.cloudPid = Long.parseLong(req("cloud-pid"));
        this.nodes = Integer.parseInt(req("nodes"));
        this.first = Integer.parseInt(a.getOrDefault("first", "0"));
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.apache.sshd.security.provider.BC.enabled", "false");
        Bench b = new Bench(parseArgs(args));
        Thread hook = new Thread(b::stopWorkers, "bench-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        int rc = 0;
        try {
            b.run();
        } catch (Exception e) {
            log("FAILED: " + e);
            e.printStackTrace();
            b.results.put("failure", String.valueOf(e));
            rc = 1;
        } finally {
            b.stopWorkers();
            b.printResults();
        }
        System.exit(rc);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        int perProcess = Integer.parseInt(a.getOrDefault("per-process", "5000"));
        int processes = Integer.parseInt(a.getOrDefault("processes", String.valueOf((nodes + perProcess - 1) / perProcess)));
        int rate = Integer.parseInt(a.getOrDefault("rate", "1000"));
        int latencySeconds = Integer.parseInt(a.getOrDefault("latency-seconds", "20"));
        int holdSeconds = Integer.parseInt(a.getOrDefault("hold-seconds", "35"));
        long phaseTimeoutMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("phase-timeout-seconds", "600")));
        boolean storm = !"false".equals(a.getOrDefault("storm", "true"));
        results.put("nodes", String.valueOf(nodes));
        results.put("processes", String.valueOf(processes));
        results.put("inflight", a.getOrDefault("inflight", "unlimited"));

        // 1. credentials: one key and certificate per node, signed with the cloud's CA, cached on disk
        Path caFile = Path.of(req("ca-der"));
        CertificateAuthority ca = CertificateAuthority.fromDer(Files.readAllBytes(caFile),
                Files.readAllBytes(Path.of(req("ca-key-der"))));
        Path creds = Path.of(a.getOrDefault("creds", work.resolve("certs").toString())).toAbsolutePath();
        long t = System.nanoTime();
        int[] made = Credentials.ensure(creds, ca, first, first + nodes, Integer.parseInt(a.getOrDefault("credential-threads",
                String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors())))));
        long credMs = ms(t);
        log("credentials: " + made[0] + " keys and " + made[1] + " certificates made in " + credMs + " ms (rest cached in "
                + creds + ")");
        results.put("credentials.keysMade", String.valueOf(made[0]));
        results.put("credentials.certsMade", String.valueOf(made[1]));
        results.put("credentials.ms", String.valueOf(credMs));
        if ("true".equals(a.get("credentials-only"))) {
            return;
        }

        try (KarafConsole console = console()) {
            // 2. the cloud before any node
            int already = connectedAtCloud(console);
            if (already != 0) {
                throw new IllegalStateException(already + " nodes already connected to the cloud: not a clean start");
            }
            CloudProbe.Memory before = CloudProbe.memory(cloudPid);
            log("cloud before: " + before.summary());

            // 3. the fleet processes
            int sourceBase = Integer.parseInt(a.getOrDefault("source-base", "2"));
            for (int w = 0; w < processes; w++) {
                int from = first + (int) ((long) nodes * w / processes);
                int to = first + (int) ((long) nodes * (w + 1) / processes);
                workers.add(new Worker(w, from, to, "127.0.0." + (sourceBase + w), caFile, creds));
            }
            writePids();
            long readyRss = 0;
            for (Worker w : workers) {
                String ready = w.await("ready", 300_000);
                readyRss += field(ready, "rssKiB");
                log("fleet " + w.index + ": " + ready);
            }
            results.put("fleet.readyRssKiB", String.valueOf(readyRss));

            // 4. initial connect: every process starts all its nodes at once
            long cpu0 = CloudProbe.cpuMs(cloudPid);
            Cpu cpuConnect = new Cpu();
            long[] drops0 = CloudProbe.listenDrops();
            t = System.nanoTime();
            List<String> connect = broadcast("connect " + phaseTimeoutMs, phaseTimeoutMs + 30_000);
            long connectMs = ms(t);
            long connectCpu = CloudProbe.cpuMs(cloudPid) - cpu0;
            cpuConnect.report("connect");
            long[] drops1 = CloudProbe.listenDrops();
            int up = sum(connect, "up");
            log("connect: " + up + "/" + nodes + " up in " + connectMs + " ms; per process: " + connect);
            results.put("connect.up", String.valueOf(up));
            results.put("connect.ms", String.valueOf(connectMs));
            results.put("connect.failedAttempts", String.valueOf(sum(connect, "failed")));
            results.put("connect.cloudCpuMs", String.valueOf(connectCpu));
            results.put("connect.listenOverflows", String.valueOf(drops1[0] - drops0[0]));
            int atCloud = connectedAtCloud(console);
            results.put("connect.atCloud", String.valueOf(atCloud));
            log("cloud sees " + atCloud + " connected nodes");
            if (up < nodes) {
                results.put("failure", "only " + up + " of " + nodes + " nodes connected within "
                        + phaseTimeoutMs / 1000 + " s: " + connect);
            }

            // 5. hold past CloudHub's keepalive interval (30 s): every node must keep its session by keepalives
            log("holding " + holdSeconds + " s (keepalives every 15 s per node)");
            int closesBefore = sum(broadcast("stats", 60_000), "serverCloses");
            results.put("connect.serverCloses", String.valueOf(closesBefore));
            Cpu cpuHold = new Cpu();
            Thread.sleep(TimeUnit.SECONDS.toMillis(holdSeconds));
            cpuHold.report("hold");
            List<String> held = broadcast("stats", 60_000);
            results.put("hold.seconds", String.valueOf(holdSeconds));
            results.put("hold.up", String.valueOf(sum(held, "up")));
            results.put("hold.serverCloses", String.valueOf(sum(held, "serverCloses") - closesBefore));
            CloudProbe.Memory after = CloudProbe.memory(cloudPid);
            log("cloud with " + sum(held, "up") + " nodes: " + after.summary());
            memory("before", before);
            memory("connected", after);
            long clientRss = 0;
            for (String s : held) {
                clientRss += field(s, "rssKiB");
            }
            results.put("fleet.rssKiB", String.valueOf(clientRss));
            long clientHeap = 0;
            for (Worker w : workers) {
                clientHeap += CloudProbe.memory(w.process.pid()).heapUsedKiB();
            }
            results.put("fleet.heapUsedKiB", String.valueOf(clientHeap));

            // 6. downstream latency at a fixed rate, spread round-robin over all nodes, after a warm-up (JIT)
            int warmup = Integer.parseInt(a.getOrDefault("latency-warmup-seconds", "5"));
            if (warmup > 0) {
                long[] w = drive(console, rate, warmup);
                results.put("latency.warmupSent", String.valueOf(w[0]));
                log("latency warm-up: " + w[0] + " messages in " + w[3] + " ms (not measured)");
            }
            broadcast("lat-start", 30_000);
            Map<String, Long> console0 = cloudHubTotals(console);
            Cpu cpuDrive = new Cpu();
            long[] sent = drive(console, rate, latencySeconds);
            cpuDrive.report("latency");
            Thread.sleep(3000); // the last acks
            List<Path> files = new ArrayList<>();
            for (Worker w : workers) {
                Path f = work.resolve("latency-" + w.index + ".bin");
                files.add(f);
                w.send("lat-stop " + f);
            }
            for (Worker w : workers) {
                w.await("lat-stop", 60_000);
            }
            int[] lat = readSamples(files);
            Map<String, Long> console1 = cloudHubTotals(console);
            results.put("latency.rateTarget", String.valueOf(rate));
            results.put("latency.sent", String.valueOf(sent[0]));
            results.put("latency.sendFailed", String.valueOf(sent[1]));
            results.put("latency.driverLateMs", String.valueOf(sent[2]));
            results.put("latency.rateAchieved", String.format("%.0f", sent[0] * 1000.0 / sent[3]));
            results.put("latency.received", String.valueOf(lat.length));
            results.put("latency.resends", String.valueOf(console1.get("resends") - console0.get("resends")));
            if (lat.length > 0) {
                results.put("latency.p50ms", pct(lat, 0.50));
                results.put("latency.p90ms", pct(lat, 0.90));
                results.put("latency.p99ms", pct(lat, 0.99));
                results.put("latency.p999ms", pct(lat, 0.999));
                results.put("latency.maxms", pct(lat, 1.0));
            }
            log("latency: sent " + sent[0] + " in " + sent[3] + " ms, received " + lat.length + ", p50 "
                    + results.get("latency.p50ms") + " ms, p99 " + results.get("latency.p99ms") + " ms");

            // 7. connect storm: every node drops its link at the same moment and reconnects at once
            if (storm && up == nodes) {
                cpu0 = CloudProbe.cpuMs(cloudPid);
                Cpu cpuStorm = new Cpu();
                drops0 = CloudProbe.listenDrops();
                t = System.nanoTime();
                int closes0 = sum(broadcast("stats", 60_000), "serverCloses");
                List<String> st = broadcast("storm " + phaseTimeoutMs, phaseTimeoutMs + 90_000);
                results.put("storm.serverCloses", String.valueOf(sum(broadcast("stats", 60_000), "serverCloses") - closes0));
                long stormMs = ms(t);
                long stormCpu = CloudProbe.cpuMs(cloudPid) - cpu0;
                cpuStorm.report("storm");
                drops1 = CloudProbe.listenDrops();
                long reconnectMs = 0;
                long closeMs = 0;
                for (String s : st) {
                    reconnectMs = Math.max(reconnectMs, field(s, "ms"));
                    closeMs = Math.max(closeMs, field(s, "closeMs"));
                }
                int stormUp = sum(st, "up");
                log("storm: closed in " + closeMs + " ms, " + stormUp + "/" + nodes + " up again " + reconnectMs
                        + " ms later (wall " + stormMs + " ms); per process: " + st);
                results.put("storm.closeMs", String.valueOf(closeMs));
                results.put("storm.reconnectMs", String.valueOf(reconnectMs));
                results.put("storm.wallMs", String.valueOf(stormMs));
                results.put("storm.up", String.valueOf(stormUp));
                results.put("storm.failedAttempts", String.valueOf(sum(st, "failed")));
                results.put("storm.cloudCpuMs", String.valueOf(stormCpu));
                results.put("storm.listenOverflows", String.valueOf(drops1[0] - drops0[0]));
                // the cloud's own view: every old session cleaned up, every new one registered
                long t1 = System.nanoTime();
                int seen = connectedAtCloud(console);
                while (seen != nodes && ms(t1) < 120_000) {
                    Thread.sleep(1000);
                    seen = connectedAtCloud(console);
                }
                results.put("storm.atCloud", String.valueOf(seen));
                results.put("storm.atCloudExtraMs", String.valueOf(ms(t1)));
                CloudProbe.Memory afterStorm = CloudProbe.memory(cloudPid);
                log("cloud after the storm: " + afterStorm.summary());
                memory("afterStorm", afterStorm);
            }

            List<String> end = broadcast("stats", 60_000);
            results.put("end.up", String.valueOf(sum(end, "up")));
            results.put("end.received", String.valueOf(sum(end, "received")));
            results.put("end.acks", String.valueOf(sum(end, "acks")));
            results.put("end.keepalives", String.valueOf(sum(end, "keepalives")));
            results.put("end.duplicates", String.valueOf(sum(end, "duplicates")));
            results.put("end.serverCloses", String.valueOf(sum(end, "serverCloses")));
            Map<String, Long> totals = cloudHubTotals(console);
            for (var e : totals.entrySet()) {
                results.put("cloudhub." + e.getKey(), String.valueOf(e.getValue()));
            }
            for (String s : end) {
                log("fleet end: " + s);
            }

            // 8. all nodes leave: what the cloud keeps with none connected (warm JIT, loaded classes, per-node
            //    queue entries that outlive connections) — the other end of the per-connection slope
            broadcast("close", 120_000);
            long t2 = System.nanoTime();
            int left = connectedAtCloud(console);
            while (left > 0 && ms(t2) < 60_000) {
                Thread.sleep(1000);
                left = connectedAtCloud(console);
            }
            results.put("disconnected.atCloud", String.valueOf(left));
            CloudProbe.Memory gone = CloudProbe.memory(cloudPid);
            log("cloud with every node gone (" + left + " still connected): " + gone.summary());
            memory("disconnected", gone);
        }
    }

    // ---------------------------------------------------------------- downstream driver

    /**
     * {@code rate} messages/s for {@code seconds}, round-robin over all nodes, paced inside the cloud: the console
     * runs scripts in which every tick (default 10 ms) first sleeps until its absolute deadline, then runs
     * {@code itest:cloud-down <node> 1 1} for the tick's share of messages. Gogo has no sub-second sleep and its
     * arithmetic keeps only 10 digits, hence {@code Thread.sleep} on an instance and BigInteger for the clock. Each
     * script covers {@code --chunk-seconds} (2) and starts one second before its first deadline, on its own SSH
     * session (Karaf ends a session after an exec). Cost on the cloud: one login per chunk, about 0.3 ms of console
     * work per command (measured separately; reported as cloud CPU). Returns {sent, failed, lateMs, elapsedMs}.
     */
    private long[] drive(KarafConsole console, int rate, int seconds) throws Exception {
        int tickMs = Integer.parseInt(a.getOrDefault("tick-ms", "10"));
        int chunkMs = (int) (Double.parseDouble(a.getOrDefault("chunk-seconds", "2")) * 1000);
        boolean each = "each".equals(a.getOrDefault("driver-form", "each"));
        int chunks = Math.max(1, (seconds * 1000 + chunkMs - 1) / chunkMs);
        long t0 = System.currentTimeMillis() + 1500;
        Pattern ok = Pattern.compile("CLOUD-DOWN sent=(\\d+) failed=(\\d+)");
        Pattern lateP = Pattern.compile("LATE=(-?\\d+)");
        AtomicLong sent = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong late = new AtomicLong(Long.MIN_VALUE);
        AtomicLong endMs = new AtomicLong();
        long[] next = {0};
        double carry = 0;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Future<?>> jobs = new ArrayList<>();
        try {
            for (int c = 0; c < chunks; c++) {
                long chunkStart = t0 + (long) c * chunkMs;
                long chunkEnd = Math.min(t0 + seconds * 1000L, chunkStart + chunkMs);
                StringBuilder script = new StringBuilder("t = (new java.lang.Thread)\nbase = (new java.math.BigInteger ")
                        .append(chunkStart).append(")\n");
                int expected = 0;
                for (long tick = chunkStart; tick < chunkEnd; tick += tickMs) {
                    carry += rate * tickMs / 1000.0;
                    int k = (int) carry;
                    carry -= k;
                    if (k == 0) {
                        continue;
                    }
                    script.append("w = ((($base add ($base valueOf ").append(tick - chunkStart)
                            .append(")) subtract ($base valueOf ((new java.util.Date) getTime))) intValue)\n")
                            .append("$t sleep %(MAX(w, 0))\n");
                    if (each) { // one closure over the tick's nodes: a shorter script for gogo to parse
                        script.append("each [");
                        for (int i = 0; i < k; i++) {
                            script.append(' ').append(Credentials.nodeName(first + (int) (next[0]++ % nodes)));
                        }
                        script.append(" ] { itest:cloud-down $it 1 1 }\n");
                    } else {
                        for (int i = 0; i < k; i++) {
                            script.append("itest:cloud-down ").append(Credentials.nodeName(first + (int) (next[0]++ % nodes)))
                                    .append(" 1 1\n");
                        }
                    }
                    expected += k;
                }
                script.append("late = (((($base valueOf ((new java.util.Date) getTime)) subtract $base) intValue))\n")
                        .append("echo LATE=%(late - ").append(chunkEnd - chunkStart).append(")\n");
                String text = script.toString();
                int exp = expected;
                jobs.add(pool.submit(() -> {
                    long wait = chunkStart - 1000 - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    String out;
                    try {
                        out = console.exec(text, Duration.ofMillis(chunkEnd - System.currentTimeMillis() + 60_000));
                    } catch (Exception e) {
                        log("driver chunk failed: " + e);
                        failed.addAndGet(exp);
                        return null;
                    }
                    endMs.accumulateAndGet(System.currentTimeMillis(), Math::max);
                    Matcher m = ok.matcher(out);
                    long s0 = 0;
                    while (m.find()) {
                        s0 += Long.parseLong(m.group(1));
                        failed.addAndGet(Long.parseLong(m.group(2)));
                    }
                    sent.addAndGet(s0);
                    if (s0 < exp) {
                        failed.addAndGet(exp - s0);
                        log("driver chunk: " + s0 + " of " + exp + " sent; output ends: "
                                + out.substring(Math.max(0, out.length() - 300)).replace('\n', ' '));
                    }
                    Matcher l = lateP.matcher(out);
                    if (l.find()) {
                        late.accumulateAndGet(Long.parseLong(l.group(1)), Math::max);
                    }
                    return null;
                }));
            }
            for (var j : jobs) {
                j.get(seconds + 120L, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        return new long[] {sent.get(), failed.get(), late.get(), Math.max(1, endMs.get() - t0)};
    }

    /** Reads the fleets' (receive time, latency µs) pairs; writes a per-second timeline; returns sorted latencies. */
    private int[] readSamples(List<Path> files) throws IOException {
        List<long[]> pairs = new ArrayList<>();
        for (Path f : files) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(f)))) {
                long start = in.readLong();
                while (true) {
                    long at = start + in.readInt();
                    pairs.add(new long[] {at, in.readInt()});
                }
            } catch (EOFException e) {
                // end of this fleet's samples
            }
        }
        int[] all = new int[pairs.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = (int) pairs.get(i)[1];
        }
        Arrays.sort(all);
        // timeline: per 1 s of receive time, count, p50, p99, max (ms)
        pairs.sort((x, y) -> Long.compare(x[0], y[0]));
        StringBuilder csv = new StringBuilder("second,count,p50ms,p99ms,maxms\n");
        if (!pairs.isEmpty()) {
            long first = pairs.get(0)[0];
            int i = 0;
            while (i < pairs.size()) {
                long sec = (pairs.get(i)[0] - first) / 1000;
                int j = i;
                while (j < pairs.size() && (pairs.get(j)[0] - first) / 1000 == sec) {
                    j++;
                }
                int[] b = new int[j - i];
                for (int k = i; k < j; k++) {
                    b[k - i] = (int) pairs.get(k)[1];
                }
                Arrays.sort(b);
                csv.append(sec).append(',').append(b.length).append(',').append(pct(b, 0.5)).append(',')
                        .append(pct(b, 0.99)).append(',').append(pct(b, 1.0)).append('\n');
                i = j;
            }
        }
        Files.writeString(work.resolve("latency-timeline.csv"), csv.toString());
        return all;
    }

    /** Percentile of sorted µs samples, in ms. */
    private static String pct(int[] sorted, double p) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
        return String.format("%.2f", sorted[i] / 1000.0);
    }

    // ---------------------------------------------------------------- cloud console

    private KarafConsole console() {
        return new KarafConsole("127.0.0.1", Integer.parseInt(req("ssh-port")), a.getOrDefault("ssh-user", "kedge"),
                req("ssh-password"));
    }

    private static final Pattern ROW = Pattern.compile(
            "^(\\S+)\\s*\\|([^|]*)\\|([^|]*)\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*$",
            Pattern.MULTILINE);

    /** Nodes CloudHub holds a connection for (cloudhub:nodes rows with a remote address). */
    private static int connectedAtCloud(KarafConsole console) throws Exception {
        return (int) cloudHubTotals(console).get("connected").longValue();
    }

    /** Sums over cloudhub:nodes: connected, ackQueue, noAckQueue, acksPending, sent, received, resends. */
    private static Map<String, Long> cloudHubTotals(KarafConsole console) throws Exception {
        String out = console.exec("cloudhub:nodes", Duration.ofSeconds(120));
        long[] s = new long[8];
        Matcher m = ROW.matcher(out);
        while (m.find()) {
            if (!m.group(2).isBlank()) {
                s[0]++;
            }
            s[7]++;
            for (int i = 4; i <= 9; i++) {
                s[i - 3] += Long.parseLong(m.group(i));
            }
        }
        Map<String, Long> r = new LinkedHashMap<>();
        String[] names = {"connected", "ackQueue", "noAckQueue", "acksPending", "sent", "received", "resends", "known"};
        for (int i = 0; i < names.length; i++) {
            r.put(names[i], s[i]);
        }
        return r;
    }

    // ---------------------------------------------------------------- fleet processes

    /** One {@link Fleet} JVM, driven over its stdin/stdout. */
    private final class Worker {
        final int index;
        final Process process;
        final BufferedWriter in;
        final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

        Worker(int index, int from, int to, String source, Path ca, Path creds) throws IOException {
            this.index = index;
            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String o : a.getOrDefault("fleet-jvm", "-Xms64m -Xmx1g -XX:+UseSerialGC").split("\\s+")) {
                if (!o.isBlank()) {
                    cmd.add(o);
                }
            }
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Fleet.class.getName(),
                    "--port", req("port"), "--host", a.getOrDefault("host", "127.0.0.1"), "--sources", source,
                    "--from", String.valueOf(from), "--to", String.valueOf(to), "--creds", creds.toString(),
                    "--ca", ca.toString(), "--threads", a.getOrDefault("fleet-threads", "1"),
                    "--inflight", a.getOrDefault("inflight", "1000000"),
                    "--keepalive-ms", a.getOrDefault("keepalive-ms", "15000"),
                    "--max-seconds", a.getOrDefault("fleet-max-seconds", "3600")));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(work.resolve("fleet-" + index + ".log").toFile());
            this.process = pb.start();
            this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.startsWith("RESULT ")) {
                            replies.add(line.substring(7));
                        }
                    }
                } catch (IOException e) {
                    // process gone
                }
                replies.add("EXIT");
            }, "fleet-" + index + "-out");
            reader.setDaemon(true);
            reader.start();
            log("fleet " + index + ": pid " + process.pid() + ", nodes " + from + ".." + (to - 1) + " from " + source);
        }

        void send(String line) throws IOException {
            in.write(line);
            in.newLine();
            in.flush();
        }

        /** The reply to {@code cmd} (without the command word). */
        String await(String cmd, long timeoutMs) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (true) {
                long left = deadline - System.nanoTime();
                String r = left <= 0 ? null : replies.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new IllegalStateException("fleet " + index + " gave no '" + cmd + "' within " + timeoutMs
                            + " ms (see " + work.resolve("fleet-" + index + ".log") + ")");
                }
                if (r.equals("EXIT")) {
                    throw new IllegalStateException("fleet " + index + " exited (see " + work.resolve("fleet-" + index
                            + ".log") + ")");
                }
                if (r.startsWith(cmd + " ")) {
                    return r.substring(cmd.length() + 1);
                }
            }
        }

        void stop() {
            if (!process.isAlive()) {
                return;
            }
            try {
                send("quit");
                process.waitFor(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                // kill below
            }
            if (process.isAlive()) {
                process.destroy();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Sends {@code line} to every fleet at once, then collects their replies. */
    private List<String> broadcast(String line, long timeoutMs) throws Exception {
        String cmd = line.split(" ")[0];
        for (Worker w : workers) {
            w.send(line);
        }
        List<String> replies = new ArrayList<>();
        for (Worker w : workers) {
            replies.add(w.await(cmd, timeoutMs));
        }
        return replies;
    }

    private synchronized void stopWorkers() {
        for (Worker w : workers) {
            w.stop();
        }
    }

    private void writePids() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Worker w : workers) {
            sb.append(w.process.pid()).append('\n');
        }
        Files.writeString(work.resolve("fleet.pids"), sb.toString());
    }

    /** CPU used during a phase: the cloud, the load processes, the whole machine (others' jobs included). */
    private final class Cpu {
        private final java.util.concurrent.atomic.AtomicInteger peakFds = new java.util.concurrent.atomic.AtomicInteger();
        private volatile boolean sampling = true;
        private final Thread sampler = new Thread(() -> {
            while (sampling) { // the cloud's descriptors at their highest (old and new sockets in a storm)
                peakFds.accumulateAndGet(CloudProbe.fds(cloudPid), Math::max);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-fd-sampler");

        Cpu() {
            sampler.setDaemon(true);
            sampler.start();
        }

        final long cloud = CloudProbe.cpuMs(cloudPid);
        final long fleet = fleetCpuMs();
        final long[] machine = CloudProbe.machineJiffies();
        final long[] split = CloudProbe.machineSplit();
        final Map<Long, Object[]> procs = CloudProbe.allProcesses();
        final long at = System.nanoTime();

        /** Puts {prefix}.cloudCpuPct, .fleetCpuPct (of one core) and .machineBusyPct (of all cores). */
        void report(String prefix) {
            sampling = false;
            sampler.interrupt();
            results.put(prefix + ".cloudPeakFds", String.valueOf(peakFds.get()));
            long ms = Math.max(1, (System.nanoTime() - at) / 1_000_000);
            long[] m = CloudProbe.machineJiffies();
            results.put(prefix + ".cloudCpuPct", String.format("%.0f", (CloudProbe.cpuMs(cloudPid) - cloud) * 100.0 / ms));
            results.put(prefix + ".fleetCpuPct", String.format("%.0f", (fleetCpuMs() - fleet) * 100.0 / ms));
            results.put(prefix + ".machineBusyPct", String.format("%.0f",
                    (m[0] - machine[0]) * 100.0 / Math.max(1, m[1] - machine[1])));
            long[] sp = CloudProbe.machineSplit();
            double tot = Math.max(1, sp[4] - split[4]);
            results.put(prefix + ".machineSplit", String.format("user %.0f%% system %.0f%% irq %.0f%% steal %.0f%%",
                    (sp[0] - split[0]) * 100 / tot, (sp[1] - split[1]) * 100 / tot, (sp[2] - split[2]) * 100 / tot,
                    (sp[3] - split[3]) * 100 / tot));
            // the biggest CPU users of the phase, whoever they are (the machine is shared)
            Map<Long, Object[]> now = CloudProbe.allProcesses();
            List<Object[]> top = new ArrayList<>();
            long self = ProcessHandle.current().pid();
            for (var e : now.entrySet()) {
                Object[] before = procs.get(e.getKey());
                long d = (long) e.getValue()[1] - (before == null ? 0 : (long) before[1]);
                if (d > 0) {
                    long pid = e.getKey();
                    String who = pid == cloudPid ? "cloud" : pid == self ? "bench" : isFleet(pid) ? "fleet"
                            : String.valueOf(e.getValue()[0]);
                    top.add(new Object[] {who + "(" + pid + ")", d});
                }
            }
            top.sort((x, y) -> Long.compare((long) y[1], (long) x[1]));
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < Math.min(6, top.size()); i++) {
                sb.append(i == 0 ? "" : ", ").append(top.get(i)[0]).append(' ')
                        .append(String.format("%.0f%%", (long) top.get(i)[1] * 100.0 / ms));
            }
            results.put(prefix + ".topCpu", sb.toString());
        }
    }

    private boolean isFleet(long pid) {
        for (Worker w : workers) {
            if (w.process.pid() == pid) {
                return true;
            }
        }
        return false;
    }

    private long fleetCpuMs() {
        long sum = 0;
        for (Worker w : workers) {
            sum += Math.max(0, CloudProbe.cpuMs(w.process.pid()));
        }
        return sum;
    }

    private String cpu(String prefix) {
        return "CPU: cloud " + val(prefix + ".cloudCpuPct") + " %, load processes " + val(prefix + ".fleetCpuPct")
                + " % (of one core); machine " + val(prefix + ".machineBusyPct") + " % busy ("
                + val(prefix + ".machineSplit") + "); cloud fds peak " + val(prefix + ".cloudPeakFds");
    }

    // ---------------------------------------------------------------- results

    private void memory(String phase, CloudProbe.Memory m) {
        results.put("cloud." + phase + ".heapUsedKiB", String.valueOf(m.heapUsedKiB()));
        results.put("cloud." + phase + ".heapCommittedKiB", String.valueOf(m.heapCommittedKiB()));
        results.put("cloud." + phase + ".rssKiB", String.valueOf(m.rssKiB()));
        results.put("cloud." + phase + ".threads", String.valueOf(m.threads()));
        results.put("cloud." + phase + ".fds", String.valueOf(m.fds()));
    }

    private long num(String key) {
        String v = results.get(key);
        return v == null ? -1 : Long.parseLong(v);
    }

    private void printResults() {
        if ("true".equals(a.get("credentials-only"))) {
            return;
        }
        try {
            StringBuilder kv = new StringBuilder();
            for (var e : results.entrySet()) {
                kv.append(e.getKey()).append('=').append(e.getValue()).append('\n');
            }
            Files.createDirectories(work);
            Files.writeString(work.resolve("results.properties"), kv.toString());
        } catch (IOException e) {
            log("cannot write results: " + e);
        }
        long n = num("connect.up") > 0 ? num("connect.up") : nodes;
        row("nodes asked / connected (fleet) / seen by CloudHub", nodes + " / " + val("connect.up") + " / "
                + val("connect.atCloud") + "   (" + val("processes") + " load processes; handshakes in flight per process: "
                + val("inflight") + ")");
        row("credentials (keys / certs made this run)", val("credentials.keysMade") + " / "
                + val("credentials.certsMade") + " in " + val("credentials.ms") + " ms");
        if (num("cloud.before.heapUsedKiB") >= 0 && num("cloud.connected.heapUsedKiB") >= 0) {
            row("cloud heap live (after full GC): before / with N", mib("cloud.before.heapUsedKiB") + " / "
                    + mib("cloud.connected.heapUsedKiB") + "   (committed " + mib("cloud.connected.heapCommittedKiB")
                    + ", -Xmx1g)");
            row("cloud RSS: before / with N", mib("cloud.before.rssKiB") + " / " + mib("cloud.connected.rssKiB"));
            row("cloud threads / fds with N", val("cloud.connected.threads") + " / " + val("cloud.connected.fds"));
            row("bytes per connection: heap / RSS", perConn("heapUsedKiB", n) + " / " + perConn("rssKiB", n)
                    + "   (before -> with N)");
            if (num("cloud.disconnected.heapUsedKiB") >= 0) {
                row("heap per connection, with N -> all N gone", String.format("%,d B   (heap live with none connected: %s, RSS %s)",
                        (num("cloud.connected.heapUsedKiB") - num("cloud.disconnected.heapUsedKiB")) * 1024 / n,
                        mib("cloud.disconnected.heapUsedKiB"), mib("cloud.disconnected.rssKiB")));
            }
            row("fleet RSS (all load processes): loaded / with N", mib("fleet.readyRssKiB") + " / "
                    + mib("fleet.rssKiB") + "  (" + String.format("%,d", (num("fleet.rssKiB") - num("fleet.readyRssKiB"))
                    * 1024 / Math.max(1, n)) + " B RSS per simulated node; live heap " + mib("fleet.heapUsedKiB") + ")");
        }
        row("connect time, all N (initial)", sec("connect.ms") + "   (cloud CPU per connection "
                + String.format("%.1f", num("connect.cloudCpuMs") / (double) Math.max(1, n)) + " ms, failed attempts "
                + val("connect.failedAttempts") + ", established links dropped by the cloud "
                + val("connect.serverCloses") + ", cloud CPU " + sec("connect.cloudCpuMs") + ", listen overflows " + val("connect.listenOverflows") + ")");
        row("", cpu("connect"));
        row("", "top CPU users: " + val("connect.topCpu"));
        row("hold " + val("hold.seconds") + " s (keepalives): up / server closes", val("hold.up") + " / "
                + val("hold.serverCloses") + "   " + cpu("hold"));
        row("storm: close all / reconnect all N", val("storm.closeMs") + " ms / " + sec("storm.reconnectMs")
                + "   (up " + val("storm.up") + ", cloud CPU per connection "
                + String.format("%.1f", num("storm.cloudCpuMs") / (double) Math.max(1, n)) + " ms, failed attempts " + val("storm.failedAttempts")
                + ", established links dropped by the cloud " + val("storm.serverCloses") + ", cloud CPU "
                + sec("storm.cloudCpuMs") + ", listen overflows " + val("storm.listenOverflows") + ")");
        row("", cpu("storm"));
        row("", "top CPU users: " + val("storm.topCpu"));
        row("storm: cloud sees all N again", val("storm.atCloud") + " nodes, +" + val("storm.atCloudExtraMs")
                + " ms after the fleet");
        if (num("cloud.afterStorm.heapUsedKiB") >= 0) {
            row("cloud heap live / RSS after the storm", mib("cloud.afterStorm.heapUsedKiB") + " / "
                    + mib("cloud.afterStorm.rssKiB"));
        }
        row("downstream rate target / achieved", val("latency.rateTarget") + " / " + val("latency.rateAchieved")
                + " msg/s for " + a.getOrDefault("latency-seconds", "20") + " s (sent " + val("latency.sent")
                + ", received " + val("latency.received") + ", CloudHub resends " + val("latency.resends")
                + ", driver behind schedule at the end by " + val("latency.driverLateMs") + " ms)");
        row("downstream latency p50 / p90 / p99 / p99.9 / max", val("latency.p50ms") + " / " + val("latency.p90ms")
                + " / " + val("latency.p99ms") + " / " + val("latency.p999ms") + " / " + val("latency.maxms")
                + " ms");
        row("", cpu("latency") + "  (the console driver is part of the cloud's share)");
        row("", "top CPU users: " + val("latency.topCpu"));
        if (num("end.received") >= 0 && num("latency.sent") >= 0) {
            row("downstream not delivered (replaced while queued)", String.valueOf(Math.max(0, num("latency.sent")
                    + Math.max(0, num("latency.warmupSent")) - num("end.received")))
                    + "   (a newer version of the same object replaced a queued one: KubeEdge's latest-state rule)");
        }
        row("end: up / downstream received / acks / keepalives / duplicates", val("end.up") + " / "
                + val("end.received") + " / " + val("end.acks") + " / " + val("end.keepalives") + " / "
                + val("end.duplicates"));
        if (results.containsKey("failure")) {
            row("FAILURE", results.get("failure"));
        }
        int w = 0;
        for (String[] r : table) {
            w = Math.max(w, r[0].length());
        }
        StringBuilder sb = new StringBuilder("\n=== CloudHub load benchmark (Kedge issue #3) ===\n");
        for (String[] r : table) {
            sb.append(String.format("%-" + w + "s  %s%n", r[0], r[1]));
        }
        sb.append("(raw figures: ").append(work.resolve("results.properties")).append(")\n");
        System.out.print(sb);
        try {
            Files.writeString(work.resolve("results.txt"), sb.toString());
        } catch (IOException e) {
            // printed anyway
        }
    }

    private void row(String k, String v) {
        table.add(new String[] {k, v});
    }

    private String val(String k) {
        return results.getOrDefault(k, "-");
    }

    private String mib(String k) {
        long v = num(k);
        return v < 0 ? "-" : String.format("%.1f MiB", v / 1024.0);
    }

    private String sec(String k) {
        long v = num(k);
        return v < 0 ? "-" : String.format("%.2f s", v / 1000.0);
    }

    private String perConn(String what, long n) {
        long b = num("cloud.before." + what);
        long c = num("cloud.connected." + what);
        if (b < 0 || c < 0 || n <= 0) {
            return "-";
        }
        return String.format("%,d B", (c - b) * 1024 / n);
    }

    // ---------------------------------------------------------------- helpers

    private String req(String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    static Map<String, String> parseArgs(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            int eq = k.indexOf('=');
            if (eq > 0) {
                m.put(k.substring(0, eq), k.substring(eq + 1));
            } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                m.put(k, args[++i]);
            } else {
                m.put(k, "true");
            }
        }
        return m;
    }

    private static int sum(List<String> replies, String key) {
        long s = 0;
        for (String r : replies) {
            s += field(r, key);
        }
        return (int) s;
    }

    static long field(String line, String key) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(-?\\d+)").matcher(line);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void log(String s) {
        System.out.printf("[bench %tT] %s%n", System.currentTimeMillis(), s);
        System.out.flush();
    }
}
