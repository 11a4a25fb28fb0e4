package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.testing.FreePorts;

/**
 * Two cloud distributions on the test API server share the edge nodes behind relays this test owns (TCP, as a load
 * balancer in front of replicas): a Kedge edge distribution and two KubeEdge-style edges ({@link KubeEdgeEdge}),
 * spread over both replicas.
 * A configmap change reaches every edge; the leader is killed (SIGKILL by PID): the other replica leads within the
 * lease duration, the killed replica's edges reconnect through the relay to it and get what changed meanwhile from
 * the ObjectSyncs the dead replica wrote; nothing acked is lost or delivered twice; the leader-only SyncController
 * work runs on one replica at a time. Figures are printed with the prefix {@code REPLICAS}.
 */
public class ReplicasIT {
    private static final String PW = "replicas-test-Pw-1";
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String NS = "replicas-" + RUN;
    private static final String CM = "shared-cfg";
    private static final String EDGE1 = "rep-kedge-" + RUN;
    private static final String EDGE2 = "rep-ke2-" + RUN;
    private static final String EDGE3 = "rep-ke3-" + RUN;
    private static final long LEASE_MS = 15_000;
    private static final long RETRY_MS = 2_000;
    private static final java.time.format.DateTimeFormatter LOG_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss,SSS");

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @After
    public void stopEverything() throws Exception {
        // last opened first: edges, then the relays, then the clouds (each by its PID)
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                System.out.println("REPLICAS cleanup: " + e);
            }
        }
        Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
        for (String node : List.of(EDGE1, EDGE2, EDGE3)) {
            Kubectl.tryRun("delete", "node", node, "--wait=false");
        }
    }

    /** One cloud replica: its own ports, console, identity in the Lease. */
    private record Replica(String id, KedgeProcess process, int wsPort, int httpsPort) {
        String console(String command) throws Exception {
            return process.client("kedge", PW, command).output();
        }

        /** The console's answer, or "" while it cannot answer (starting, or killed). */
        String consoleOrEmpty(String command) {
            String out = quiet(() -> console(command));
            return out == null ? "" : out;
        }

        boolean leads() {
            return consoleOrEmpty("kube:leader").matches("(?s).*Leader\\s+yes.*");
        }
    }

    @Test
    public void twoReplicasShareTheEdgesAndTheLeaderMovesWhenItDies() throws Exception {
        Path base = Path.of("target", "replicas").toAbsolutePath();
        Replica a = replica(base, "replica-a");
        Replica b = replica(base, "replica-b");

        Kubectl.run("create", "namespace", NS);
        a.process.start();
        b.process.start();
        a.process.awaitConsole("kedge", PW, "cloudhub:nodes", "Node", 180);
        b.process.awaitConsole("kedge", PW, "cloudhub:nodes", "Node", 180);

        // one leader, and both replicas agree on it
        Replica leader = awaitLeader(List.of(a, b), 60);
        Replica follower = leader == a ? b : a;
        assertTrue(follower.console("kube:leader"), follower.console("kube:leader")
                .matches("(?s).*Holder\\s+" + leader.id + "\\b.*"));
        System.out.println("REPLICAS leader " + leader.id + ", follower " + follower.id);
        // the one cloud address, twice: each relay tries its first replica, then the other. Edges 1 and 3 dial the
        // leader-first relay and edge 2 the follower-first one, so where an edge lands does not depend on when it
        // (re)connects; when the leader dies, the leader-first relay takes its edges to the survivor
        ReplicaRelay ws = relay(List.of(leader.wsPort, follower.wsPort));
        ReplicaRelay https = relay(List.of(leader.httpsPort, follower.httpsPort));
        ReplicaRelay wsToFollower = relay(List.of(follower.wsPort, leader.wsPort));
        ReplicaRelay httpsToFollower = relay(List.of(follower.httpsPort, leader.httpsPort));

        // the CA and the token are shared: both replicas hand out the same token, valid on either
        String tokenA = a.console("cloudhub:token").trim();
        String tokenB = b.console("cloudhub:token").trim();
        assertEquals("replicas hand out the token stored in tokensecret", tokenA, tokenB);

        // the objects: a configmap every edge's pod uses; edge nodes labelled up front for the KubeEdge edges
        Kubectl.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + CM + ", namespace: " + NS + "}\n"
                + "data: {greeting: v1}\n");
        for (String node : List.of(EDGE2, EDGE3)) {
            Kubectl.apply("apiVersion: v1\nkind: Node\nmetadata:\n  name: " + node + "\n  labels: {"
                    + "node-role.kubernetes.io/edge: \"\"}\n");
        }
        for (String node : List.of(EDGE1, EDGE2, EDGE3)) {
            Kubectl.apply(pod(node));
        }

        // edges spread: the Kedge edge and one KubeEdge edge on the leader, the other on the follower
        KedgeProcess edge1 = kedgeEdge(base);
        edge1.start();
        edge1.awaitConsole("kedge", PW, "edgehub:status", "NOT_JOINED", 120);
        String joined = edge1.client("kedge", PW, "kedge:join --cloud 127.0.0.1:" + ws.port() + " --token " + tokenA
                + " --node-name " + EDGE1 + " --http-server https://127.0.0.1:" + https.port()).output();
        assertTrue(joined, !joined.toLowerCase().contains("error"));
        edge1.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 60);
        KubeEdgeEdge edge3 = KubeEdgeEdge.join(https.port(), ws.port(), tokenA, EDGE3, base.resolve("ke3"));
        toClose.add(edge3);
        // joined through the follower with the token the leader handed out
        KubeEdgeEdge edge2 = KubeEdgeEdge.join(httpsToFollower.port(), wsToFollower.port(), tokenA, EDGE2,
                base.resolve("ke2"));
        toClose.add(edge2);
        awaitConnected(leader, EDGE1, 60, List.of(a, b));
        awaitConnected(leader, EDGE3, 60, List.of(a, b));
        awaitConnected(follower, EDGE2, 60, List.of(a, b));
        assertTrue("edge2 is not on the leader", !connectedNodes(leader).contains(EDGE2));
        System.out.println("REPLICAS spread: " + leader.id + " " + connectedNodes(leader) + ", " + follower.id + " "
                + connectedNodes(follower));

        // a configmap change reaches every edge, through whichever replica serves it
        String v2 = editConfigMap("v2");
        awaitAcked(List.of(EDGE1, EDGE2, EDGE3), v2, 90);
        for (KubeEdgeEdge e : List.of(edge2, edge3)) {
            e.awaitReceived(f -> isConfigMap(f) && "v2".equals(f.at("/content/data/greeting").asText()), 30);
        }
        Map<String, Integer> syncsBefore = objectSyncsPerNode();
        Map<String, Integer> deliveriesBefore = deliveries(List.of(edge2, edge3));
        System.out.println("REPLICAS before the kill: ObjectSyncs per node " + syncsBefore + ", deliveries to the"
                + " KubeEdge edges " + deliveriesBefore.values().stream().mapToInt(Integer::intValue).sum()
                + " (" + deliveriesBefore.size() + " object versions)");
        for (String node : List.of(EDGE1, EDGE2, EDGE3)) {
            assertEquals("ObjectSyncs of " + node + " (pod + configmap)", Integer.valueOf(2), syncsBefore.get(node));
        }

        // SyncController's leader-only work runs on the leader only
        long leaderRounds0 = leaderRounds(leader);
        long followerRounds0 = leaderRounds(follower);
        Thread.sleep(7_000); // more than one reconcile period (5 s)
        assertTrue("leader ran leader-only rounds", leaderRounds(leader) > leaderRounds0);
        assertEquals("follower ran no leader-only round", followerRounds0, leaderRounds(follower));

        // kill the leader; change the configmap while its edges are away
        long killedAt = System.nanoTime();
        long killedAtMillis = System.currentTimeMillis();
        leader.process.kill();
        String v3 = editConfigMap("v3");
        long seenLeadingMs = awaitLeaderIs(follower, 60, killedAt);
        long newLeaderMs = ledAt(follower) - killedAtMillis;
        System.out.println("REPLICAS new leader after " + newLeaderMs + " ms (its log; its console said so after "
                + seenLeadingMs + " ms; lease " + LEASE_MS + " ms, retry " + RETRY_MS + " ms)");
        // the dead leader's last renewal was at most one retry period before the kill; its lease expires a lease
        // duration after that, and a candidate tries every retry period with fabric8's jitter (factor 1.2)
        assertTrue("new leader once the lease expired, within one jittered retry period: " + newLeaderMs,
                newLeaderMs <= LEASE_MS + (long) (RETRY_MS * 2.2) + 500);

        // the killed replica's edges come back through the leader-first relay to the survivor
        if (!edge3.open()) {
            edge3.reconnect(ws.port()); // edgehub dials again when its link drops
        }
        awaitConnected(follower, EDGE1, 90, List.of(follower));
        awaitConnected(follower, EDGE3, 60, List.of(follower));
        long reconnectedMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("REPLICAS edges of the killed replica reconnected to " + follower.id + " after "
                + reconnectedMs + " ms: " + connectedNodes(follower));

        // what changed while they were away arrives, from the ObjectSyncs the dead replica wrote
        awaitAcked(List.of(EDGE1, EDGE2, EDGE3), v3, 90);
        edge3.awaitReceived(f -> isConfigMap(f) && "v3".equals(f.at("/content/data/greeting").asText()), 30);
        edge2.awaitReceived(f -> isConfigMap(f) && "v3".equals(f.at("/content/data/greeting").asText()), 30);
        Thread.sleep(6_000); // a reconcile round after the catch-up: nothing more may come

        Map<String, Integer> syncsAfter = objectSyncsPerNode();
        Map<String, Integer> deliveriesAfter = deliveries(List.of(edge2, edge3));
        int doubled = 0;
        for (Map.Entry<String, Integer> e : deliveriesAfter.entrySet()) {
            doubled += e.getValue() - 1;
        }
        System.out.println("REPLICAS after the kill: ObjectSyncs per node " + syncsAfter + ", deliveries to the"
                + " KubeEdge edges " + deliveriesAfter.values().stream().mapToInt(Integer::intValue).sum() + " ("
                + deliveriesAfter.size() + " object versions, " + doubled + " delivered twice)");
        assertEquals("no ObjectSync lost or added", syncsBefore, syncsAfter);
        for (Map.Entry<String, Integer> e : deliveriesBefore.entrySet()) {
            assertEquals("acked before the kill, not sent again: " + e.getKey(), e.getValue(),
                    deliveriesAfter.get(e.getKey()));
        }
        assertEquals("each object version delivered once: " + deliveriesAfter, 0, doubled);
        assertTrue("the KubeEdge edges got v3", deliveriesAfter.size() > deliveriesBefore.size());

        // the survivor now does the leader-only work, and says so in its log
        long rounds = leaderRounds(follower);
        Thread.sleep(6_000);
        assertTrue("new leader runs leader-only rounds", leaderRounds(follower) > rounds);
        String log = Files.readString(follower.process.home().resolve("data/log/karaf.log"));
        assertTrue("SyncController took over the leader work", log.contains("SYNC leader work"));
        String leaderView = follower.console("kube:leader");
        System.out.println("REPLICAS kube:leader on " + follower.id + ":\n" + leaderView.trim());
        System.out.println("REPLICAS relay connections per replica port: leader first " + ws.relayed
                + ", follower first " + wsToFollower.relayed + " (leader " + leader.wsPort + ")");
        System.out.println("REPLICAS " + edge1.client("kedge", PW, "edgehub:status").output().trim());
    }

    private ReplicaRelay relay(List<Integer> ports) throws Exception {
        ReplicaRelay relay = new ReplicaRelay(ports, 8);
        toClose.add(relay);
        return relay;
    }

    private Replica replica(Path base, String id) throws Exception {
        int wsPort = FreePorts.belowEphemeral();
        int httpsPort = FreePorts.belowEphemeral();
        KedgeProcess p = JoinedPair.unpackCloud(base.resolve(id), PW, wsPort, httpsPort);
        p.writeConfig("dev.kedge.cloud.kube.leader", Map.of("identity", id));
        toClose.add(p);
        return new Replica(id, p, wsPort, httpsPort);
    }

    private KedgeProcess kedgeEdge(Path base) throws Exception {
        KedgeProcess edge = KedgeProcess.unpack("edge", base.resolve("edge"), Map.of("KEDGE_ADMIN_PASSWORD", PW));
        edge.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        // a 5 s heartbeat and a short first reconnect delay: the link to a dead replica is noticed soon
        edge.writeConfig("dev.kedge.edge.hub", Map.of("heartbeat", "5"));
        String cri = Ctr.endpoint();
        edge.writeConfig("dev.kedge.edge.edged", Map.of("remoteRuntimeEndpoint", cri, "remoteImageEndpoint", cri,
                "rootDirectory", base.resolve("edge-root").toString(),
                "podLogsRootDirectory", base.resolve("edge-logs").toString()));
        toClose.add(edge);
        return edge;
    }

    private static String pod(String node) {
        // an image nobody has: the pod stays pending at the edge, which is enough to carry the configmap there
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: app-" + node + ", namespace: " + NS + "}\nspec:\n"
                + "  nodeName: " + node + "\n  automountServiceAccountToken: false\n  containers:\n"
                + "  - {name: app, image: kedge.test/absent:1, volumeMounts: [{name: cfg, mountPath: /etc/app}]}\n"
                + "  volumes: [{name: cfg, configMap: {name: " + CM + "}}]\n";
    }

    private static String editConfigMap(String value) throws Exception {
        Kubectl.run("-n", NS, "patch", "configmap", CM, "--type=merge", "-p",
                "{\"data\":{\"greeting\":\"" + value + "\"}}");
        return Kubectl.get("-n", NS, "configmap", CM).at("/metadata/resourceVersion").asText();
    }

    /** The Lease holder both consoles agree on. */
    private static Replica awaitLeader(List<Replica> replicas, int seconds) throws Exception {
        return await("a leader", seconds, () -> {
            Replica leading = null;
            for (Replica r : replicas) {
                if (r.leads()) {
                    if (leading != null) {
                        throw new AssertionError("two leaders: " + leading.id + " and " + r.id);
                    }
                    leading = r;
                }
            }
            return leading;
        });
    }

    private static long awaitLeaderIs(Replica r, int seconds, long sinceNanos) throws Exception {
        await(r.id + " leading", seconds, () -> r.leads() ? Boolean.TRUE : null);
        return (System.nanoTime() - sinceNanos) / 1_000_000;
    }

    /** Epoch millis of the replica's last "now leads" log line. */
    private static long ledAt(Replica r) throws Exception {
        String line = null;
        for (String l : Files.readAllLines(r.process.home().resolve("data/log/karaf.log"))) {
            if (l.contains("LEADER " + r.id + " now leads")) {
                line = l;
            }
        }
        assertTrue(r.id + " logged that it leads", line != null);
        return java.time.LocalDateTime.parse(line.substring(0, 23), LOG_TIME).atZone(java.time.ZoneId.systemDefault())
                .toInstant().toEpochMilli();
    }

    private static List<String> connectedNodes(Replica r) throws Exception {
        List<String> nodes = new ArrayList<>();
        for (String line : r.console("cloudhub:nodes").split("\n")) {
            String[] cells = line.split("\\|");
            if (cells.length > 3 && !line.contains("offline") && cells[0].trim().startsWith("rep-")) {
                nodes.add(cells[0].trim());
            }
        }
        return nodes;
    }

    /** Waits for {@code node} on {@code r}; a timeout says where the live replicas have their nodes. */
    private static void awaitConnected(Replica r, String node, int seconds, List<Replica> live) throws Exception {
        try {
            await(node + " connected to " + r.id, seconds,
                    () -> Boolean.TRUE.equals(quiet(() -> connectedNodes(r).contains(node))) ? Boolean.TRUE : null);
        } catch (AssertionError e) {
            StringBuilder where = new StringBuilder(e.getMessage());
            for (Replica l : live) {
                where.append("\n").append(l.id).append(" cloudhub:nodes:\n").append(l.consoleOrEmpty("cloudhub:nodes"));
            }
            throw new AssertionError(where.toString(), e);
        }
    }

    private static long leaderRounds(Replica r) throws Exception {
        return Counters.of(r.console("sync:stats"), "leaderRounds");
    }

    /** Every node's ObjectSync of the configmap records {@code rv} (the edge acked that version). */
    private static void awaitAcked(List<String> nodes, String rv, int seconds) throws Exception {
        await("configmap " + rv + " acked by " + nodes, seconds, () -> {
            JsonNode cm = quiet(() -> Kubectl.get("-n", NS, "configmap", CM));
            String uid = cm == null ? "" : cm.at("/metadata/uid").asText();
            JsonNode syncs = quiet(() -> Kubectl.get("objectsyncs.reliablesyncs.kubeedge.io", "-n", NS));
            int acked = 0;
            for (JsonNode s : syncs == null ? List.<JsonNode>of() : iterable(syncs.path("items"))) {
                String name = s.at("/metadata/name").asText();
                for (String node : nodes) {
                    if (name.equals(node + "." + uid) && rv.equals(s.at("/status/objectResourceVersion").asText())) {
                        acked++;
                    }
                }
            }
            return acked == nodes.size() ? Boolean.TRUE : null;
        });
    }

    private static Map<String, Integer> objectSyncsPerNode() throws Exception {
        Map<String, Integer> perNode = new java.util.TreeMap<>();
        for (JsonNode s : iterable(Kubectl.get("objectsyncs.reliablesyncs.kubeedge.io", "-n", NS).path("items"))) {
            String name = s.at("/metadata/name").asText();
            perNode.merge(name.substring(0, name.length() - 37), 1, Integer::sum); // <node>.<36-char uid>
        }
        return perNode;
    }

    /** Object version (node, uid, resourceVersion) → how often it reached the KubeEdge edges. */
    private static Map<String, Integer> deliveries(List<KubeEdgeEdge> edges) {
        Map<String, Integer> count = new HashMap<>();
        for (KubeEdgeEdge e : edges) {
            for (JsonNode f : e.received) {
                String op = f.at("/route/operation").asText();
                if (op.equals("insert") || op.equals("update")) {
                    count.merge(e.node + "/" + f.at("/content/metadata/uid").asText() + "@"
                            + f.at("/header/resourceversion").asText(), 1, Integer::sum);
                }
            }
        }
        return count;
    }

    private static boolean isConfigMap(JsonNode f) {
        return (NS + "/configmap/" + CM).equals(f.at("/route/resource").asText());
    }

    private static List<JsonNode> iterable(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list;
    }

    private interface Check<T> {
        T get() throws Exception;
    }

    /** The value, or what a failed console/kubectl call means while polling: nothing yet. */
    private static <T> T quiet(Check<T> check) {
        try {
            return check.get();
        } catch (Exception e) {
            return null;
        }
    }

    private static <T> T await(String what, int seconds, Supplier<T> probe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no " + what + " within " + seconds + " s");
    }
}
