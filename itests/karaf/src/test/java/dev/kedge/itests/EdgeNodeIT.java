package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Issue #4 end to end, as a cluster admin sees it: a real kube-apiserver, the cloud and the edge distribution as
 * processes, joined with a token; kubectl on one side, the edge's SQLite {@code meta} table on the other.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class EdgeNodeIT {
    static final String PW = "node-test-Pw-1";
    /**
     * A new namespace and node name per run: without kube-controller-manager a deleted namespace stays Terminating
     * for good, with its pods still bound to the node name of the run that made them.
     */
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "edge-" + RUN;
    static final String NS = "edge-it-" + RUN;

    static KedgeProcess cloud;
    static KedgeProcess edge;
    static EdgeDb db;

    @BeforeClass
    public static void startAndJoin() throws Exception {
        JoinedPair pair = JoinedPair.unpack("edge-node", PW);
        cloud = pair.cloud;
        edge = pair.edge;
        Kubectl.tryRun("create", "namespace", NS);
        pair.startAndJoin(NODE);
        db = EdgeDb.of(edge);
    }

    @AfterClass
    public static void stopBoth() throws Exception {
        try (KedgeProcess e = edge; KedgeProcess c = cloud) {
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
        }
    }

    @Test
    public void t1_theJoinedEdgeIsAReadyNodeWithTheEdgeRoleAndRealCapacity() throws Exception {
        JsonNode node = await("node " + NODE + " Ready", 60, () -> {
            JsonNode n = Kubectl.get("node", NODE);
            return n != null && "True".equals(Kubectl.condition(n, "Ready")) ? n : null;
        });
        JsonNode labels = node.path("metadata").path("labels");
        assertEquals("", labels.path("node-role.kubernetes.io/edge").asText("missing"));
        assertEquals(NODE, labels.path("kubernetes.io/hostname").asText());
        assertEquals("linux", labels.path("kubernetes.io/os").asText());
        JsonNode capacity = node.path("status").path("capacity");
        assertEquals(String.valueOf(Runtime.getRuntime().availableProcessors()), capacity.path("cpu").asText());
        assertEquals(memTotalKi() + "Ki", capacity.path("memory").asText());
        assertTrue("allocatable reported: " + node.path("status"), node.path("status").has("allocatable"));
        String table = Kubectl.run("get", "nodes");
        assertTrue(table, table.matches("(?s).*\\b" + NODE + "\\s+Ready\\s+\\S*edge\\S*\\s.*"));
        System.out.println("NODE\n" + table.trim());
        JsonNode lease = await("lease of " + NODE, 30, () -> Kubectl.get("lease", "-n", "kube-node-lease", NODE));
        assertEquals(NODE, lease.path("spec").path("holderIdentity").asText());
    }

    @Test
    public void t2_podsAndTheirConfigMapsReachTheEdgeAndFollowEveryChange() throws Exception {
        long t0 = System.nanoTime();
        Kubectl.apply(configMap("app-config", "v1") + "---\n" + pod("app-1", NODE, "app-config") + "---\n"
                + pod("elsewhere", "a-cloud-worker", "app-config"));
        await("pod row", 30, () -> db.get(key("pod", "app-1")));
        long podMs = (System.nanoTime() - t0) / 1_000_000;
        assertNotNull("the configmap came before the pod", db.get(key("configmap", "app-config")));
        System.out.println("META pod+configmap in the edge meta table " + podMs + " ms after kubectl apply returned");
        // the issue asks for 1 s; the assert leaves room for a loaded CI machine, the figure is printed above
        assertTrue("pod + configmap took " + podMs + " ms", podMs < 5000);

        Kubectl.run("label", "pod", "-n", NS, "app-1", "tier=web");
        await("label on the edge", 30, () -> "web".equals(
                db.get(key("pod", "app-1")).path("metadata").path("labels").path("tier").asText(null)) ? 1 : null);
        Kubectl.run("patch", "configmap", "-n", NS, "app-config", "-p", "{\"data\":{\"setting\":\"v2\"}}");
        awaitSetting("v2");
        Kubectl.run("delete", "pod", "-n", NS, "app-1", "--grace-period=0", "--force");
        await("pod row deleted", 30, () -> db.get(key("pod", "app-1")) == null ? 1 : null);
        assertNull("a pod bound to another node never reaches this edge", db.get(key("pod", "elsewhere")));
    }

    @Test
    public void t3_changesMadeWhileTheEdgeIsStoppedArriveWhenItStarts() throws Exception {
        Kubectl.apply(pod("app-2", NODE, "app-config"));
        await("app-2 on the edge", 30, () -> db.get(key("pod", "app-2")));
        edge.close();
        Kubectl.run("patch", "configmap", "-n", NS, "app-config", "-p", "{\"data\":{\"setting\":\"v3\"}}");
        Kubectl.run("delete", "pod", "-n", NS, "app-2", "--grace-period=0", "--force");
        Kubectl.apply(pod("app-3", NODE, "app-config"));
        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        awaitSetting("v3");
        await("app-3 on the edge", 60, () -> db.get(key("pod", "app-3")));
        await("app-2 gone from the edge", 60, () -> db.get(key("pod", "app-2")) == null ? 1 : null);
    }

    @Test
    public void t4_aCloudRestartResendsOnlyWhatChanged() throws Exception {
        // the edge writes pod status, which changes the pod's resourceVersion: let app-3 settle at Running and its
        // last version be sent and acked before counting
        await("app-3 Running", 60, () -> "Running".equals(Kubectl.get("pod", "-n", NS, "app-3").path("status")
                .path("phase").asText()) ? 1 : null);
        Thread.sleep(12_000);
        String before = edge.client("kedge", PW, "meta:stats").output();
        cloud.close();
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        Kubectl.run("patch", "configmap", "-n", NS, "app-config", "-p", "{\"data\":{\"setting\":\"v4\"}}");
        cloud.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        awaitSetting("v4");
        Thread.sleep(12_000); // two SyncController rounds: anything it would resend has been sent by now
        String after = edge.client("kedge", PW, "meta:stats").output();
        String controller = cloud.client("kedge", PW, "edgecontroller:stats").output();
        System.out.println("RESTART meta before: " + before.trim() + "\nmeta after: " + after.trim() + "\ncontroller: "
                + controller.trim());
        // the pods and the configmap at the edge were relisted by the new cloud process: only the changed
        // configmap may come down again, the unchanged pod must not
        long stored = Counters.of(after, "Acks") - Counters.of(before, "Acks");
        assertEquals("objects the cloud sent (and the edge acked) after the cloud restart: only the changed configmap", 1, stored);
        assertEquals(Kubectl.get("pod", "-n", NS, "app-3").path("metadata").path("resourceVersion").asLong(),
                EdgeDb.rv(db.get(key("pod", "app-3"))));
    }

    @Test
    public void t5_offlineTheEdgeStillReadsPodsAndConfigMapsFromMeta() throws Exception {
        cloud.close();
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        String cm = edge.client("kedge", PW, "bus:send -w 5 -s edged -r meta metamanager query "
                + key("configmap", "app-config")).output();
        assertTrue("configmap answered from meta while offline: " + cm, cm.contains("v4") && cm.contains("response"));
        String pods = edge.client("kedge", PW, "bus:send -w 5 -s edged -r meta metamanager query " + NS + "/pod")
                .output();
        assertTrue("pods answered from meta while offline: " + pods, pods.contains("app-3"));
        cloud.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
    }

    @Test
    public void t6_killMinusNineDuringAThousandUpdatesASecondKeepsEveryAckedObject() throws Exception {
        KillRun run = KillRun.start(NS, NODE, 100);
        await("all " + run.objects() + " configmaps on the edge", 120,
                () -> db.versions("configmap").keySet().stream().filter(k -> k.startsWith(NS + "/configmap/kill-")).count()
                        == run.objects() ? 1 : null);
        run.drive(1000, 12, () -> edge.kill(), 6);
        assertEquals("ok", db.integrityCheck());
        Map<String, Long> onEdge = db.versions("configmap");
        Map<String, Long> acked = await("ObjectSyncs settled", 30, run::ackedVersions);
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Long> a : acked.entrySet()) {
            long there = onEdge.getOrDefault(key("configmap", a.getKey()), -1L);
            if (there < a.getValue()) {
                missing.add(a.getKey() + " acked " + a.getValue() + ", edge has " + there);
            }
        }
        System.out.println("KILL9 " + run.summary() + " ackedObjects=" + acked.size() + " integrity=ok behind="
                + missing.size());
        assertTrue("acked but lost at the edge: " + missing, missing.isEmpty());
        assertTrue("the kill came while acks were flowing: " + acked.size(), acked.size() >= run.objects() / 2);

        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        Map<String, Long> live = run.liveVersions();
        await("edge converged to the API server's versions", 120, () -> {
            Map<String, Long> now = db.versions("configmap");
            for (Map.Entry<String, Long> e : live.entrySet()) {
                if (!e.getValue().equals(now.get(key("configmap", e.getKey())))) {
                    return null;
                }
            }
            return 1;
        });
    }

    @Test
    public void t7_anEdgeThatLostItsDatabaseGetsEverythingAgain() throws Exception {
        // a reinstalled gateway (same node name, empty disk): its ObjectSyncs say it has everything, it has nothing
        edge.close();
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(edge.home().resolve("data/kedge/edgecore.db" + suffix));
        }
        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        await("app-3 back on the new database", 60, () -> db.get(key("pod", "app-3")));
        awaitSetting("v4");
        await("the kill-* configmaps back", 60, () -> db.versions("configmap").keySet().stream()
                .filter(k -> k.startsWith(NS + "/configmap/kill-")).count() == 100 ? 1 : null);
        String stats = cloud.client("kedge", PW, "edgecontroller:stats").output();
        assertTrue("the cloud saw the new database: " + stats, Counters.of(stats, "upstream.node.newDatabase") >= 1);
    }

    @Test
    public void t8_killMinusNineAtAThousandMessagesASecondLosesNothingAcked() throws Exception {
        // the API server here takes a few hundred writes/s, so stand-ins drive CloudHub directly: CloudResponder sends
        // paced configmap versions, AckRecorder (in SyncController's place) keeps exactly what the edge acked
        cloud.client("kedge", PW, "bundle:stop dev.kedge.cloud.controller dev.kedge.cloud.sync");
        String out = cloud.client("kedge", PW, "bundle:install -s file:" + System.getProperty("kedge.testmodules.bundle"))
                .output();
        assertTrue(out, out.contains("Bundle ID"));
        cloud.client("kedge", PW, "config:edit dev.kedge.itests.cloudresponder\nconfig:property-set enabled true\n"
                + "config:update\nconfig:edit dev.kedge.itests.ackrecorder\nconfig:property-set enabled true\n"
                + "config:update");
        cloud.awaitOutput("kedge", PW, "bus:modules", "synccontroller", 30);
        KedgeProcess.Result[] down = new KedgeProcess.Result[1];
        Thread driver = new Thread(() -> {
            try {
                down[0] = cloud.client("kedge", PW, "itest:cloud-down --rate 1000 " + NODE + " 200 75", 180);
            } catch (Exception e) {
                down[0] = new KedgeProcess.Result(-1, e.toString());
            }
        });
        driver.start();
        Thread.sleep(7_000);
        edge.kill();
        driver.join(180_000);
        assertTrue("driver finished: " + down[0], down[0] != null && down[0].output().contains("CLOUD-DOWN sent="));
        Path ackFile = edge.home().getParent().resolve("acked.txt");
        String acked = cloud.client("kedge", PW, "itest:acked " + ackFile).output().trim();
        assertEquals("ok", db.integrityCheck());
        Map<String, Long> onEdge = db.versions("configmap");
        List<String> lost = new ArrayList<>();
        List<String> lines = Files.readAllLines(ackFile);
        for (String line : lines) {
            String[] kv = line.split(" ");
            long there = onEdge.getOrDefault(kv[0], -1L);
            if (there < Long.parseLong(kv[1])) {
                lost.add(line + " (edge has " + there + ")");
            }
        }
        System.out.println("KILL9-DIRECT " + down[0].output().trim() + " | " + acked + " | integrity=ok lost="
                + lost.size());
        assertTrue("acked before the kill: " + acked, lines.size() >= 100);
        assertTrue("acked but lost at the edge: " + lost, lost.isEmpty());
    }

    static String key(String type, String name) {
        return NS + "/" + type + "/" + name;
    }

    private void awaitSetting(String value) throws Exception {
        await("configmap setting " + value + " on the edge", 60, () -> value.equals(
                db.get(key("configmap", "app-config")).path("data").path("setting").asText(null)) ? 1 : null);
    }

    static String configMap(String name, String setting) {
        return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n  namespace: " + NS
                + "\ndata:\n  setting: " + setting + "\n";
    }

    static String pod(String name, String node, String configMap) {
        return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + NS + "\nspec:\n"
                + "  nodeName: " + node + "\n  hostNetwork: true\n  terminationGracePeriodSeconds: 1\n"
                // a local image: the pod runs and its status settles (a failing pull would change it forever)
                + "  containers:\n  - name: app\n    image: docker.io/library/kedge-busybox:1\n"
                + "    imagePullPolicy: IfNotPresent\n    command: [sleep, '2147483647']\n"
                + "    volumeMounts:\n    - name: cfg\n      mountPath: /cfg\n  volumes:\n  - name: cfg\n"
                + "    configMap:\n      name: " + configMap + "\n";
    }

    private static long memTotalKi() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no MemTotal");
    }

    /** Polls {@code probe} every 20 ms until it returns non-null; fails after {@code seconds}. */
    static <T> T await(String what, int seconds, Callable<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                T t = probe.call();
                if (t != null) {
                    return t;
                }
            } catch (Exception e) {
                last = e;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + what + " within " + seconds + " s" + (last == null ? "" : ": " + last));
    }
}
