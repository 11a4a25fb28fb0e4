package dev.kedge.itests.load;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import dev.kedge.core.tls.CertificateAuthority;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * The metadata benchmark (issue #4): N simulated Kedge edges ({@link MetaEdges}, in this process) register with the
 * cloud and heartbeat like real ones; then PODS pods bound to them are created, 100 relabelled and 100 deleted in
 * the API server, and each event's latency is measured from the end of the API call to the edge's receipt (and
 * ack) of the object, on one host clock. Then a steady window without changes: API-server requests per node per
 * minute ({@code apiserver_request_total} of {@code /metrics}) and uplink bits/s per node (bytes on the edges'
 * TCP connections). Cloud heap and RSS at the end. Every wait is bounded; {@code --max-seconds} ends the process
 * whatever happens.
 */
public final class MetaBench {
    static final String UPDATE_LABEL = "kedge.dev/bench-update";
    private static final String CM_PREFIX = "bench-cfg-";
    private static final String POD_PREFIX = "bench-pod-";
    /** Ethernet + IPv4 + TCP (with timestamps) per segment: to estimate the wire from the TCP payload. */
    private static final int SEGMENT_OVERHEAD = 14 + 20 + 32;
    /** KubeEdge's published figure for an idle edge node's uplink. */
    private static final double KUBEEDGE_UPLINK_KBITS = 0.25;

    private final Map<String, String> a;
    private final Path work;
    private final int nodes;
    private final int pods;
    private final String ns;
    private final long phaseMs;
    private final Map<String, String> results = new LinkedHashMap<>();
    private final List<String[]> table = new ArrayList<>();
    private MetaEdges edges;
    private KubernetesClient kube;
    /** Per pod: when the last API call on it returned, and when it was issued (µs since the epoch). */
    private long[] createdUs;
    private long[] startedUs;

    private MetaBench(Map<String, String> a) {
        this.a = a;
        this.work = Path.of(a.getOrDefault("work", "target/bench-meta")).toAbsolutePath();
        this.nodes = Integer.parseInt(a.getOrDefault("nodes", "100"));
        this.pods = Integer.parseInt(a.getOrDefault("pods", "1000"));
        this.ns = a.getOrDefault("namespace", "bench");
        this.phaseMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("phase-timeout-seconds", "120")));
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        MetaBench b = new MetaBench(Bench.parseArgs(args));
        long maxSeconds = Long.parseLong(b.a.getOrDefault("max-seconds", "900"));
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
                System.err.println("meta bench: --max-seconds " + maxSeconds + " reached, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // normal end
            }
        }, "bench-lifetime");
        killer.setDaemon(true);
        killer.start();
        int rc = 0;
        try {
            b.run();
        } catch (Exception e) {
            Bench.log("FAILED: " + e);
            e.printStackTrace();
            b.results.put("failure", String.valueOf(e));
            rc = 1;
        } finally {
            if (b.edges != null) {
                b.results.put("edges.lastProblem", b.edges.lastProblem());
                b.edges.close();
            }
            if (b.kube != null) {
                b.kube.close();
            }
            b.printResults();
        }
        System.exit(rc);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        results.put("nodes", String.valueOf(nodes));
        results.put("pods", String.valueOf(pods));

        // credentials: one key and certificate per node, signed with the cloud's CA, cached on disk
        byte[] caDer = Files.readAllBytes(Path.of(req("ca-der")));
        CertificateAuthority ca = CertificateAuthority.fromDer(caDer, Files.readAllBytes(Path.of(req("ca-key-der"))));
        Path creds = Path.of(a.getOrDefault("creds", work.resolve("certs").toString())).toAbsolutePath();
        int[] made = Credentials.ensure(creds, ca, 0, nodes, Math.max(2, Runtime.getRuntime().availableProcessors()));
        Bench.log("credentials: " + made[1] + " certificates made (rest cached in " + creds + ")");
        X509Certificate caCert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(caDer));
        edges = new MetaEdges(Credentials.load(creds, ca.caHash(), 0, nodes), caCert, a);
        kube = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(Path.of(req("kubeconfig"))))).build();

        // 1. the edges connect and register; the cloud creates their Nodes
        long t = System.nanoTime();
        boolean allUp = edges.connectAll(phaseMs);
        put("connect.ms", ms(t));
        put("connect.up", edges.up.get());
        Bench.log("connect: " + edges.up.get() + "/" + nodes + " up in " + ms(t) + " ms");
        if (!allUp) {
            throw new IllegalStateException("only " + edges.up.get() + " of " + nodes + " edges connected: "
                    + edges.lastProblem());
        }
        t = System.nanoTime();
        int registered = edges.registerAll(phaseMs,
                TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("register-retry-seconds", "10"))));
        put("register.ms", ms(t));
        put("register.ok", registered);
        Bench.log("register: " + registered + "/" + nodes + " answered in " + ms(t) + " ms");
        if (registered == 0) {
            throw new IllegalStateException("no node was registered (is the EdgeController running?): "
                    + edges.lastProblem());
        }
        int inApi = awaitNodes();
        put("nodes.inApi", inApi);
        put("nodes.ms", ms(t));
        Bench.log("nodes in the API: " + inApi + "/" + nodes + " after " + ms(t) + " ms");
        if (inApi < nodes) {
            throw new IllegalStateException("only " + inApi + " of " + nodes + " Nodes exist in the API: "
                    + edges.lastProblem());
        }

        // 2. PODS pods spread over the nodes, 10 % referencing a configmap
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                .serverSideApply();
        int configmaps = Integer.parseInt(a.getOrDefault("configmaps", "10"));
        int referencing = pods * Integer.parseInt(a.getOrDefault("configmap-percent", "10")) / 100;
        for (int c = 0; c < configmaps && referencing > 0; c++) {
            kube.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata()
                    .withName(CM_PREFIX + c).endMetadata().addToData("app.properties", "bench=" + c).build()).create();
        }
        createdUs = new long[pods];
        startedUs = new long[pods];
        long t0Us = Fleet.nowMicros();
        long createMs = timed(pods, i -> {
            startedUs[i] = Fleet.nowMicros();
            kube.pods().inNamespace(ns).resource(pod(i, i < referencing ? CM_PREFIX + (i % configmaps) : null))
                    .create();
            createdUs[i] = Fleet.nowMicros();
        });
        put("create.ms", createMs);
        put("create.perSecond", String.format("%.0f", pods * 1000.0 / Math.max(1, createMs)));
        Bench.log("created " + pods + " pods in " + createMs + " ms");
        awaitDeliveries("insert", range(0, pods), "insert");
        long lastUs = lastSeen("insert", range(0, pods));
        put("insert.allAckedMs", lastUs > 0 ? String.valueOf((lastUs - t0Us) / 1000) : "n/a");
        configmapsFirst(referencing, configmaps);

        // 3. relabel the last U pods, delete the D before them
        int updates = Math.min(pods, Integer.parseInt(a.getOrDefault("updates", "100")));
        int deletes = Math.min(pods - updates, Integer.parseInt(a.getOrDefault("deletes", "100")));
        List<Integer> updated = range(pods - updates, pods);
        List<Integer> deleted = range(pods - updates - deletes, pods - updates);
        PatchContext merge = PatchContext.of(PatchType.JSON_MERGE);
        long updateMs = timed(updated, i -> {
            startedUs[i] = Fleet.nowMicros();
            kube.pods().inNamespace(ns).withName(POD_PREFIX + i)
                    .patch(merge, "{\"metadata\":{\"labels\":{\"" + UPDATE_LABEL + "\":\"1\"}}}");
            createdUs[i] = Fleet.nowMicros();
        });
        put("update.callsMs", updateMs);
        awaitDeliveries("update", updated, "label");
        long grace = Long.parseLong(a.getOrDefault("delete-grace-seconds", "30"));
        long deleteMs = timed(deleted, i -> {
            startedUs[i] = Fleet.nowMicros();
            kube.pods().inNamespace(ns).withName(POD_PREFIX + i).withGracePeriod(grace).delete();
            createdUs[i] = Fleet.nowMicros();
        });
        put("delete.callsMs", deleteMs);
        put("delete.graceSeconds", grace);
        if (grace > 0) { // the edge sees the deletionTimestamp, "kills" the pod and deletes it upstream
            awaitDeliveries("delete.terminating", deleted, "terminating");
        }
        awaitDeliveries("delete", deleted, "delete");
        writeEvents();
        long left = kube.pods().inNamespace(ns).list().getItems().stream()
                .filter(p -> deleted.contains(index(p))).count();
        put("delete.stillInApi", left);

        // 4. steady state: nothing changes; only the edges' heartbeats and keepalives
        settle(Long.parseLong(a.getOrDefault("settle-max-seconds", "180")));
        steadyState(Long.parseLong(a.getOrDefault("steady-seconds", "60")));

        // 5. what the cloud recorded and holds
        objectSyncs();
        String pid = a.get("cloud-pid");
        if (pid != null) {
            CloudProbe.Memory m = CloudProbe.memory(Long.parseLong(pid));
            Bench.log("cloud at the end: " + m.summary());
            put("cloud.heapUsedAfterGcMiB", String.format("%.1f", m.heapUsedKiB() / 1024.0));
            put("cloud.heapCommittedMiB", String.format("%.1f", m.heapCommittedKiB() / 1024.0));
            put("cloud.rssMiB", String.format("%.1f", m.rssKiB() / 1024.0));
            put("cloud.threads", m.threads());
            String heapInfo = CloudProbe.jcmd(Long.parseLong(pid), "GC.heap_info");
            Files.writeString(work.resolve("cloud-heap-info.txt"), heapInfo);
        }
        put("edges.received", edges.received.sum());
        put("edges.acks", edges.acks.sum());
        put("edges.duplicates", edges.duplicates.sum());
        put("edges.misrouted", edges.misrouted.sum());
        put("edges.errors", edges.errors.sum());
        put("edges.unexpected", edges.unexpected.sum());
        put("edges.serverCloses", edges.serverCloses.sum());
        put("edges.leaseRenewals", edges.leaseRenewals.sum());
        put("edges.leaseFailures", edges.leaseFailures.sum());
        put("edges.statusReports", edges.statusReports.sum());
        put("edges.statusFailures", edges.statusFailures.sum());
        put("edges.podDeletesSent", edges.podDeletesSent.sum());
        put("edges.downstream", edges.downstreamKinds());
        Bench.log("edges: " + edges.downstreamKinds());
    }

    /** A plain pod bound to node i % N (no scheduler involved), optionally mounting a configmap. */
    private Pod pod(int i, String configmap) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(POD_PREFIX + i).addToLabels("app", "kedge-bench")
                .endMetadata();
        var spec = b.withNewSpec().withNodeName(Credentials.nodeName(i % nodes)).addNewContainer().withName("pause")
                .withImage("registry.k8s.io/pause:3.9").endContainer();
        if (configmap != null) {
            spec.addNewVolume().withName("config").withNewConfigMap().withName(configmap).endConfigMap().endVolume();
        }
        return spec.endSpec().build();
    }

    private int awaitNodes() throws InterruptedException {
        Set<String> want = new HashSet<>();
        for (var e : edges.edges) {
            want.add(e.name);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(phaseMs);
        int found = 0;
        while (System.nanoTime() < deadline) {
            try {
                found = (int) kube.nodes().withLabel(EdgeObjects.EDGE_LABEL).list().getItems().stream()
                        .map(Node::getMetadata).filter(m -> want.contains(m.getName())).count();
            } catch (RuntimeException e) {
                Bench.log("listing nodes: " + e);
            }
            if (found == nodes) {
                break;
            }
            Thread.sleep(500);
        }
        return found;
    }

    /** Runs {@code call} for every index on the create threads; the wall time in ms. */
    private long timed(int count, IntConsumer call) throws Exception {
        return timed(range(0, count), call);
    }

    private long timed(List<Integer> indices, IntConsumer call) throws Exception {
        int threads = Integer.parseInt(a.getOrDefault("create-threads", "4"));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long t = System.nanoTime();
        try {
            for (int i : indices) {
                pool.execute(() -> {
                    try {
                        call.accept(i);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            pool.shutdown();
            if (!pool.awaitTermination(phaseMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("API calls did not finish within " + phaseMs / 1000 + " s");
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("an API call failed: " + failure.get(), failure.get());
        }
        return ms(t);
    }

    /**
     * Waits (bounded) until the edges saw {@code event} for every pod in {@code indices}; records the latencies
     * (edge receipt − end of the API call) under {@code phase}.
     */
    private Percentiles awaitDeliveries(String phase, List<Integer> indices, String event) throws InterruptedException {
        long t = System.nanoTime();
        long deadline = t + TimeUnit.MILLISECONDS.toNanos(phaseMs);
        int got = 0;
        while (System.nanoTime() < deadline) {
            got = 0;
            for (int i : indices) {
                if (edges.seen.containsKey(key(event, i))) {
                    got++;
                }
            }
            if (got == indices.size()) {
                break;
            }
            Thread.sleep(20);
        }
        long[] lat = new long[got];
        long[] fromStart = new long[got];
        int n = 0;
        for (int i : indices) {
            Long at = edges.seen.get(key(event, i));
            if (at != null && n < lat.length) {
                fromStart[n] = at - startedUs[i];
                lat[n++] = at - createdUs[i];
            }
        }
        Percentiles p = Percentiles.of(java.util.Arrays.copyOf(lat, n));
        Percentiles s = Percentiles.of(java.util.Arrays.copyOf(fromStart, n));
        put(phase + ".fromCallStart", s.summary());
        put(phase + ".delivered", n + "/" + indices.size());
        put(phase + ".p50ms", fmt(p.p50()));
        put(phase + ".p90ms", fmt(p.p90()));
        put(phase + ".p99ms", fmt(p.p99()));
        put(phase + ".maxms", fmt(p.max()));
        table.add(new String[] {phase + " (" + n + "/" + indices.size() + ")", fmt(p.p50()), fmt(p.p90()),
            fmt(p.p99()), fmt(p.max())});
        Bench.log(phase + ": " + n + "/" + indices.size() + " at the edges, " + p.summary()
                + (n < indices.size() ? " — missing after " + phaseMs / 1000 + " s: " + edges.lastProblem() : ""));
        return p;
    }

    /** Per pod, the edge's receive times (µs since the epoch) and its last API call: events-meta.csv. */
    private void writeEvents() throws java.io.IOException {
        String[] events = {"insert", "label", "terminating", "update", "delete"};
        StringBuilder b = new StringBuilder("pod,node,lastCallStartUs,lastCallEndUs");
        for (String ev : events) {
            b.append(',').append(ev).append("Us");
        }
        b.append('\n');
        for (int i = 0; i < pods; i++) {
            b.append(POD_PREFIX).append(i).append(',').append(Credentials.nodeName(i % nodes)).append(',')
                    .append(startedUs[i]).append(',').append(createdUs[i]);
            for (String ev : events) {
                Long at = edges.seen.get(key(ev, i));
                b.append(',').append(at == null ? "" : at.toString());
            }
            b.append('\n');
        }
        Files.writeString(work.resolve("events-meta.csv"), b);
    }

    private long lastSeen(String event, List<Integer> indices) {
        long last = 0;
        for (int i : indices) {
            Long at = edges.seen.get(key(event, i));
            if (at == null) {
                return -1;
            }
            last = Math.max(last, at);
        }
        return last;
    }

    /** Every referencing pod's configmap must reach its node before the pod (EdgeController's order). */
    private void configmapsFirst(int referencing, int configmaps) {
        int before = 0;
        int after = 0;
        int missing = 0;
        for (int i = 0; i < referencing; i++) {
            Long cm = edges.seen.get("configmap " + Credentials.nodeName(i % nodes) + " " + ns + "/configmap/"
                    + CM_PREFIX + (i % configmaps));
            Long pod = edges.seen.get(key("insert", i));
            if (cm == null) {
                missing++;
            } else if (pod != null && cm <= pod) {
                before++;
            } else {
                after++;
            }
        }
        put("configmap.beforePod", before + "/" + referencing);
        put("configmap.afterPod", after);
        put("configmap.missing", missing);
        Bench.log("configmaps: " + before + " before their pod, " + after + " after, " + missing + " missing");
    }

    /**
     * Waits (at most maxSeconds) until a 5 s interval passes without writes the pod phases caused (ObjectSyncs,
     * pods, configmaps); heartbeats (leases, nodes) and the API server's own bookkeeping go on meanwhile.
     */
    private void settle(long maxSeconds) throws Exception {
        long t = System.nanoTime();
        long deadline = t + TimeUnit.SECONDS.toNanos(maxSeconds);
        Map<String, Long> prev = ApiRequests.parse(kube.raw("/metrics"));
        long quietAfter = -1;
        while (System.nanoTime() < deadline) {
            Thread.sleep(5000);
            Map<String, Long> now = ApiRequests.parse(kube.raw("/metrics"));
            Map<String, Long> d = ApiRequests.delta(prev, now);
            prev = now;
            long catchUp = d.entrySet().stream().filter(e -> isCatchUpWrite(e.getKey())).mapToLong(Map.Entry::getValue)
                    .sum();
            if (catchUp == 0) {
                quietAfter = ms(t);
                break;
            }
            Bench.log("settling: " + catchUp + " catch-up writes in the last 5 s " + d);
        }
        put("settle.ms", quietAfter >= 0 ? String.valueOf(quietAfter) : "not quiet after " + maxSeconds + " s");
        Bench.log("settled after " + ms(t) + " ms");
    }

    private static boolean isCatchUpWrite(String key) {
        String verb = key.substring(0, key.indexOf(' '));
        String resource = key.substring(key.indexOf(' ') + 1);
        return Set.of("POST", "PUT", "PATCH", "DELETE", "APPLY").contains(verb)
                && (resource.startsWith("objectsyncs") || resource.startsWith("clusterobjectsyncs")
                        || resource.startsWith("pods") || resource.startsWith("configmaps"));
    }

    /** Resources an edge node causes requests on (the rest is the API server's own bookkeeping). */
    private static boolean isEdgeCaused(String key) {
        String resource = key.substring(key.indexOf(' ') + 1).split("/")[0];
        return Set.of("nodes", "leases", "pods", "configmaps", "secrets", "events", "objectsyncs",
                "clusterobjectsyncs").contains(resource);
    }

    private void steadyState(long seconds) throws Exception {
        Map<String, Long> api0 = ApiRequests.parse(kube.raw("/metrics"));
        long up0 = edges.upBytes();
        long writes0 = edges.upWrites();
        long down0 = edges.downBytes();
        Map<String, long[]> kinds0 = edges.upstreamKinds();
        long leases0 = edges.leaseRenewals.sum();
        long status0 = edges.statusReports.sum();
        long t = System.nanoTime();
        Bench.log("steady state: " + seconds + " s without changes");
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        Map<String, Long> api1 = ApiRequests.parse(kube.raw("/metrics"));
        double window = (System.nanoTime() - t) / 1e9;
        long up = edges.upBytes() - up0;
        long writes = edges.upWrites() - writes0;
        long down = edges.downBytes() - down0;
        Map<String, Long> delta = ApiRequests.delta(api0, api1);
        long total = ApiRequests.resourceTotal(delta);
        long edgeCaused = delta.entrySet().stream().filter(e -> isEdgeCaused(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        double perNodeMinute = edgeCaused / (double) nodes / (window / 60);
        put("steady.apiRequestsEdgeCaused", edgeCaused);
        StringBuilder kinds = new StringBuilder();
        edges.upstreamKinds().forEach((k, v) -> {
            long[] before = kinds0.getOrDefault(k, new long[2]);
            long n = v[1] - before[1];
            if (n > 0) {
                kinds.append(kinds.length() > 0 ? ", " : "").append(k).append(": ").append(n).append(" x ")
                        .append((v[0] - before[0]) / n).append(" B = ")
                        .append(String.format("%.0f", (v[0] - before[0]) * 8.0 / window / nodes)).append(" bit/s");
            }
        });
        put("steady.uplinkMessagesPerNode", kinds);
        double upBits = up * 8.0 / window / nodes;
        double upWireBits = (up + writes * (double) SEGMENT_OVERHEAD) * 8.0 / window / nodes;
        double downBits = down * 8.0 / window / nodes;
        put("steady.seconds", String.format("%.1f", window));
        put("steady.apiRequests", total);
        put("steady.apiRequestsPerNodeMinute", String.format("%.2f", perNodeMinute));
        put("steady.apiBreakdown", delta.toString());
        put("steady.leaseRenewals", edges.leaseRenewals.sum() - leases0);
        put("steady.statusReports", edges.statusReports.sum() - status0);
        put("steady.uplinkBitsPerNode", String.format("%.0f", upBits));
        put("steady.uplinkWireBitsPerNode", String.format("%.0f", upWireBits));
        put("steady.uplinkVsKubeEdge", String.format("%.2f", upWireBits / 1000 / KUBEEDGE_UPLINK_KBITS));
        put("steady.downlinkBitsPerNode", String.format("%.0f", downBits));
        Bench.log(String.format("steady state: %d API requests, %d caused by the edges (%.2f per node per minute): %s",
                total, edgeCaused, perNodeMinute, delta));
        Bench.log("uplink messages (text only, all nodes; bit/s per node): " + kinds);
        Bench.log(String.format("uplink %.0f bit/s per node (TLS payload), ~%.0f bit/s on the wire; downlink %.0f bit/s",
                upBits, upWireBits, downBits));
    }

    private void objectSyncs() {
        try {
            int n = kube.genericKubernetesResources("reliablesyncs.kubeedge.io/v1alpha1", "ObjectSync")
                    .inAnyNamespace().list().getItems().size();
            put("objectSyncs", n);
        } catch (RuntimeException e) {
            put("objectSyncs", "n/a (" + e.getMessage() + ")");
        }
    }

    private String key(String event, int i) {
        return event + " " + ns + "/pod/" + POD_PREFIX + i;
    }

    private static int index(Pod p) {
        String name = p.getMetadata().getName();
        return name.startsWith(POD_PREFIX) ? Integer.parseInt(name.substring(POD_PREFIX.length())) : -1;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }

    // ---------------------------------------------------------------- results

    private void printResults() {
        StringBuilder b = new StringBuilder();
        b.append(String.format("Kedge metadata benchmark (issue #4): %s nodes, %s pods%n", nodes, pods));
        b.append(String.format("%-34s %9s %9s %9s %9s%n", "API event -> edge ack (ms)", "p50", "p90", "p99", "max"));
        for (String[] r : table) {
            b.append(String.format("%-34s %9s %9s %9s %9s%n", (Object[]) r));
        }
        b.append(String.format("%-34s %s%n", "all pods acked after (ms)", val("insert.allAckedMs")));
        b.append(String.format("%-34s %s%n", "  (negative: the edge had it before the API call returned)", ""));
        b.append(String.format("%-34s %s ms (%s pods/s, %s threads)%n", "pod creation", val("create.ms"),
                val("create.perSecond"), a.getOrDefault("create-threads", "4")));
        b.append(String.format("%-34s %s before their pod, %s after, %s missing%n", "configmaps",
                val("configmap.beforePod"), val("configmap.afterPod"), val("configmap.missing")));
        b.append(String.format("%-34s connect %s ms, register %s/%s, Nodes in API after %s ms%n", "edges",
                val("connect.ms"), val("register.ok"), nodes, val("nodes.ms")));
        b.append(String.format("%-34s %s s: %s API requests caused by the edges = %s per node per minute (all: %s)%n",
                "steady state", val("steady.seconds"), val("steady.apiRequestsEdgeCaused"),
                val("steady.apiRequestsPerNodeMinute"), val("steady.apiRequests")));
        b.append(String.format("%-34s %s%n", "  by request", val("steady.apiBreakdown")));
        b.append(String.format("%-34s %s bit/s per node (TLS payload), ~%s bit/s with TCP/IP headers = %sx KubeEdge's "
                + "250 bit/s%n", "uplink", val("steady.uplinkBitsPerNode"), val("steady.uplinkWireBitsPerNode"),
                val("steady.uplinkVsKubeEdge")));
        b.append(String.format("%-34s %s%n", "  by message (JSON text)", val("steady.uplinkMessagesPerNode")));
        b.append(String.format("%-34s %s bit/s per node%n", "downlink", val("steady.downlinkBitsPerNode")));
        b.append(String.format("%-34s heap %s MiB live after GC (%s committed), RSS %s MiB%n", "cloud at the end",
                val("cloud.heapUsedAfterGcMiB"), val("cloud.heapCommittedMiB"), val("cloud.rssMiB")));
        b.append(String.format("%-34s %s at the end; writes settled %s ms after the last delete%n", "ObjectSyncs",
                val("objectSyncs"), val("settle.ms")));
        b.append(String.format("%-34s leases %s (%s failed), status reports %s (%s failed), errors %s, duplicates %s, "
                + "misrouted %s, dropped links %s%n", "edge counters", val("edges.leaseRenewals"), val("edges.leaseFailures"),
                val("edges.statusReports"), val("edges.statusFailures"), val("edges.errors"), val("edges.duplicates"),
                val("edges.misrouted"), val("edges.serverCloses")));
        if (results.containsKey("failure")) {
            b.append("FAILURE: ").append(results.get("failure")).append('\n');
        }
        b.append("\nall figures:\n");
        results.forEach((k, v) -> b.append(k).append(" = ").append(v).append('\n'));
        System.out.println();
        System.out.print(b);
        try {
            Files.createDirectories(work);
            Files.writeString(work.resolve("results-meta.txt"), b.toString());
        } catch (Exception e) {
            System.err.println("could not write results: " + e);
        }
    }

    private String val(String k) {
        return results.getOrDefault(k, "n/a");
    }

    private void put(String k, Object v) {
        results.put(k, String.valueOf(v));
    }

    private static String fmt(double ms) {
        return Double.isNaN(ms) ? "n/a" : String.format("%.1f", ms);
    }

    private String req(String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
