package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;

/**
 * CloudHub ⇄ EdgeHub end to end: a real kube-apiserver (secrets), the cloud and the edge distribution as processes on
 * loopback, joined the way an operator does it ({@code cloudhub:token}, {@code kedge:join}). The edge reaches the
 * cloud through a relay the test can black-hole.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CloudEdgeLinkIT {
    private static final String PW = "link-test-Pw-1";
    private static final String NODE = "edge-1";
    private static final int HEARTBEAT = 2;

    private static KedgeProcess cloud;
    private static KedgeProcess edge;
    private static BlackholeProxy proxy;
    private static int wsPort;
    private static int httpsPort;
    private static String token;

    @BeforeClass
    public static void startBoth() throws Exception {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || !Files.exists(Path.of(kubeconfig))) {
            fail("KUBECONFIG must point at the test API server (scripts/test.sh starts one with scripts/kube-up.sh)");
        }
        Path base = Path.of("target", "link").toAbsolutePath();
        Map<String, String> env = Map.of("KEDGE_ADMIN_PASSWORD", PW);
        cloud = KedgeProcess.unpack("cloud", base.resolve("cloud"), env);
        edge = KedgeProcess.unpack("edge", base.resolve("edge"), env);
        wsPort = FreePorts.belowEphemeral();
        httpsPort = FreePorts.belowEphemeral();
        cloud.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        cloud.writeConfig("dev.kedge.cloud.kube", Map.of("kubeconfig", kubeconfig));
        cloud.writeConfig("dev.kedge.cloud.hub", Map.of("websocketAddress", "127.0.0.1", "websocketPort",
                String.valueOf(wsPort), "httpsAddress", "127.0.0.1", "httpsPort", String.valueOf(httpsPort)));
        edge.writeConfig("org.apache.karaf.shell", Map.of("sshPort", String.valueOf(FreePorts.belowEphemeral())));
        edge.writeConfig("dev.kedge.edge.hub", Map.of("heartbeat", String.valueOf(HEARTBEAT)));
        cloud.start();
        edge.start();
        cloud.awaitConsole("kedge", PW, "cloudhub:nodes", "Node", 120);
        edge.awaitConsole("kedge", PW, "edgehub:status", "NOT_JOINED", 120);
        proxy = new BlackholeProxy(wsPort);
    }

    @AfterClass
    public static void stopBoth() throws Exception {
        try (KedgeProcess e = edge; KedgeProcess c = cloud; BlackholeProxy p = proxy) {
            // closed in reverse order
        }
    }

    @Test
    public void t1_edgeJoinsWithATokenFromTheCloudConsole() throws Exception {
        token = cloud.client("kedge", PW, "cloudhub:token").output().trim();
        assertTrue("token looks like <sha256>.<jwt>: " + token, token.matches("[0-9a-f]{64}\\.[\\w-]+\\.[\\w-]+\\.[\\w-]+"));
        String joined = edge.client("kedge", PW, "kedge:join --cloud 127.0.0.1:" + proxy.port() + " --token " + token
                + " --node-name " + NODE + " --http-server https://127.0.0.1:" + httpsPort).output();
        assertTrue(joined, !joined.toLowerCase().contains("error"));
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 60);
        String nodes = cloud.awaitOutput("kedge", PW, "cloudhub:nodes", NODE, 30);
        assertTrue(nodes, nodes.contains("127.0.0.1"));
        assertTrue("node certificate saved", Files.exists(edge.home().resolve("etc/kedge/certs/server.crt")));
        // removed a few seconds after the bootstrap (see EdgeHubComponent.removeTokenLater)
        Path cfgFile = edge.home().resolve("etc/dev.kedge.edge.hub.cfg");
        String cfg = Files.readString(cfgFile);
        for (int i = 0; i < 100 && cfg.contains(token.substring(65)); i++) {
            Thread.sleep(200);
            cfg = Files.readString(cfgFile);
        }
        assertTrue("the token is removed once used: " + cfg, !cfg.contains(token.substring(65)));
    }

    @Test
    public void t2_badCredentialsAreRefused() throws Exception {
        X509Certificate ca = LinkTestClient.fetchCa(httpsPort);
        assertTrue("the token pins this CA", JoinToken.caHashMatches(token, ca.getEncoded()));
        String jwt = JoinToken.parse(token).jwt();
        NodeCsr csrA = NodeCsr.generate("node-a");
        // no token, garbage token, token of another CA, expired token
        assertEquals(401, LinkTestClient.requestCertificate(httpsPort, ca, "node-a", csrA, null).statusCode());
        assertEquals(401, LinkTestClient.requestCertificate(httpsPort, ca, "node-a", csrA, "not.a.jwt").statusCode());
        CertificateAuthority other = CertificateAuthority.create();
        String forged = JoinToken.parse(JoinToken.create(other, Duration.ofHours(1), Clock.systemUTC())).jwt();
        assertEquals(401, LinkTestClient.requestCertificate(httpsPort, ca, "node-a", csrA, forged).statusCode());
        CertificateAuthority real = realCa();
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(3)), ZoneOffset.UTC);
        String expired = JoinToken.parse(JoinToken.create(real, Duration.ofHours(24), past)).jwt();
        HttpResponse<byte[]> r = LinkTestClient.requestCertificate(httpsPort, ca, "node-a", csrA, expired);
        assertEquals(new String(r.body()), 401, r.statusCode());
        // a CSR for another node than the one named is refused
        assertEquals(400, LinkTestClient.requestCertificate(httpsPort, ca, "node-b", csrA, jwt).statusCode());

        // a good certificate for node-a …
        HttpResponse<byte[]> ok = LinkTestClient.requestCertificate(httpsPort, ca, "node-a", csrA, jwt);
        assertEquals(200, ok.statusCode());
        X509Certificate certA = Pem.certificateFromDer(ok.body());
        SSLContext asA = TlsContexts.client(certA, csrA.keyPair().getPrivate(), ca);
        // … works for node-a, and is refused when presented as node-b
        LinkTestClient.Socket a = LinkTestClient.connect(wsPort, "node-a", asA);
        a.ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        expectRefused(() -> LinkTestClient.connect(wsPort, "node-b", asA), "node-a's certificate as node-b");
        // no client certificate; plain TCP without TLS
        expectRefused(() -> LinkTestClient.connect(wsPort, "node-a", TlsContexts.client(null, null, ca)),
                "TLS without a client certificate");
        try (java.net.Socket plain = new java.net.Socket("127.0.0.1", wsPort)) {
            plain.setSoTimeout(5000);
            plain.getOutputStream().write(("GET /" + LinkTestClient.PROJECT + "/node-a/events HTTP/1.1\r\nHost: x\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nnode_id: node-a\r\n\r\n").getBytes());
            byte[] buf = new byte[256];
            int n = plain.getInputStream().read(buf);
            String answer = n <= 0 ? "" : new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue("plain HTTP gets no WebSocket: " + answer, !answer.contains("101"));
        } catch (java.io.IOException expected) {
            // connection reset: refused as well
        }
        String nodes = cloud.client("kedge", PW, "cloudhub:nodes").output();
        assertTrue("node-b never got in: " + nodes, !nodes.contains("node-b"));
    }

    @Test
    public void t3_malformedFramesAreCountedAndTheSessionLives() throws Exception {
        X509Certificate ca = LinkTestClient.fetchCa(httpsPort);
        NodeCsr csr = NodeCsr.generate("rogue-1");
        HttpResponse<byte[]> ok = LinkTestClient.requestCertificate(httpsPort, ca, "rogue-1", csr,
                JoinToken.parse(token).jwt());
        assertEquals(200, ok.statusCode());
        SSLContext ctx = TlsContexts.client(Pem.certificateFromDer(ok.body()), csr.keyPair().getPrivate(), ca);
        long malformedBefore = counter(cloud.client("kedge", PW, "cloudhub:stats").output(), "malformedFrames");
        LinkTestClient.Socket s = LinkTestClient.connect(wsPort, "rogue-1", ctx);
        s.ws.sendText("{not json", true).get(5, TimeUnit.SECONDS);
        s.ws.sendText("[1,2,3]", true).get(5, TimeUnit.SECONDS);
        s.ws.sendText("{\"header\":{\"timestamp\":\"yesterday\"}}", true).get(5, TimeUnit.SECONDS);
        s.ws.sendText("{\"header\":{\"msg_id\":\"x\"},\"route\":{\"operation\":\"no-such-op\",\"resource\":\"a/b/c\"}}",
                true).get(5, TimeUnit.SECONDS);
        s.ws.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}), true).get(5, TimeUnit.SECONDS);
        s.ws.sendText("x".repeat(9 * 1024 * 1024), true).get(30, TimeUnit.SECONDS);
        s.ws.sendText("{\"header\":{\"msg_id\":\"k1\",\"timestamp\":1},\"route\":{\"source\":\"websocket\",\"group\":"
                + "\"resource\",\"operation\":\"keepalive\",\"resource\":\"node\"},\"content\":\"ping\"}", true)
                .get(5, TimeUnit.SECONDS);
        String nodes = cloud.awaitOutput("kedge", PW, "cloudhub:nodes", "rogue-1", 10);
        assertTrue("rogue-1 still connected: " + nodes, nodes.matches("(?s).*rogue-1\\s*\\|\\s*/?127\\.0\\.0\\.1.*"));
        // bad JSON, a JSON array, a string timestamp, binary, oversized: five errors counted
        String stats = cloud.client("kedge", PW, "cloudhub:stats").output();
        assertEquals(stats, malformedBefore + 5, counter(stats, "malformedFrames"));
        assertTrue("still open", !s.closed.isDone());
        s.ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
    }

    @Test
    public void t4_thousandMessagesEachWayAcrossTwentyForcedDisconnects() throws Exception {
        String jar = System.getProperty("kedge.testmodules.bundle");
        // the stand-in CloudResponder replaces the real EdgeController (same module name); SyncController would
        // delete the made-up configmaps from the edge (they do not exist in the API server)
        cloud.client("kedge", PW, "bundle:stop dev.kedge.cloud.controller dev.kedge.cloud.sync");
        for (KedgeProcess side : new KedgeProcess[] {cloud, edge}) {
            String out = side.client("kedge", PW, "bundle:install -s file:" + jar).output();
            assertTrue(out, out.contains("Bundle ID"));
        }
        edge.client("kedge", PW, "config:edit dev.kedge.itests.edgeapplier\nconfig:property-set ackDelayMs 80\n"
                + "config:update");
        cloud.client("kedge", PW, "config:edit dev.kedge.itests.cloudresponder\nconfig:property-set enabled true\n"
                + "config:update");
        edge.awaitOutput("kedge", PW, "bus:modules", "itest-meta", 30);
        cloud.awaitOutput("kedge", PW, "bus:modules", "edgecontroller", 30);

        // upstream: 1000 sync queries from the edge, answered by the cloud, retried across the disconnects
        KedgeProcess.Result[] up = new KedgeProcess.Result[1];
        Thread upstream = new Thread(() -> {
            try {
                up[0] = edge.client("kedge", PW, "itest:edge-up --interval-ms 80 --timeout-ms 3000 --retries 30 1000", 900);
            } catch (Exception e) {
                up[0] = new KedgeProcess.Result(-1, e.toString());
            }
        });
        upstream.start();
        // downstream: 1000 objects for this node, each acked by the edge after "committing" it
        String down = cloud.client("kedge", PW, "itest:cloud-down " + NODE + " 1000 1").output();
        assertTrue(down, down.contains("CLOUD-DOWN sent=1000"));
        // 20 forced disconnects while both streams run (an edge still reconnecting does not count)
        int cuts = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (cuts < 20 && System.nanoTime() < end) {
            if (cloud.client("kedge", PW, "cloudhub:disconnect " + NODE).output().contains("disconnected " + NODE)) {
                cuts++;
            }
            Thread.sleep(1000);
        }
        assertEquals("forced disconnects", 20, cuts);
        String during = edge.client("kedge", PW, "itest:edge-stats").output();
        assertTrue("traffic was still flowing at the 20th disconnect: " + during,
                upstream.isAlive() || field(during, "applied") < 1000);

        upstream.join(900_000);
        assertTrue("upstream finished: " + up[0], up[0] != null && up[0].output().contains("EDGE-UP count=1000"));
        String edgeStats = edge.awaitOutput("kedge", PW, "itest:edge-stats", "applied=1000 ", 180);
        String cloudStats = cloud.client("kedge", PW, "itest:cloud-stats").output();
        System.out.println("LINK " + up[0].output().trim() + " | " + edgeStats.trim() + " | " + cloudStats.trim());
        assertEquals("every object applied once, at its final version", field(cloudStats, "sumFinalVersions"),
                field(edgeStats, "sumFinalVersions"));
        assertEquals("keys", 1000, field(edgeStats, "keys"));
        assertEquals("upstream answered", 1000, field(edgeStats, "up.answered"));
        assertEquals("upstream failed", 0, field(edgeStats, "up.failed"));
        assertEquals("distinct upstream queries at the cloud", 1000,
                field(cloudStats, "received") - field(cloudStats, "duplicateIds"));
        assertTrue("the cloud saw the disconnects: " + cloudStats, field(cloudStats, "disconnectedEvents") >= 20);
    }

    @Test
    public void t5_aBlackHoledLinkIsReplacedWithinTwoHeartbeats() throws Exception {
        int before = proxy.acceptedAtNanos.size();
        long t0 = System.nanoTime();
        proxy.blackholeCurrent();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(30);
        while (proxy.acceptedAtNanos.size() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue("the edge never reconnected", proxy.acceptedAtNanos.size() > before);
        double detectedS = (proxy.clientGaveUpAtNanos() - t0) / 1e9;
        double replacedS = (proxy.acceptedAtNanos.get(before) - t0) / 1e9;
        System.out.printf("BLACKHOLE heartbeat=%ds gaveUpAfter=%.2fs reconnectedAfter=%.2fs%n", HEARTBEAT, detectedS,
                replacedS);
        // two heartbeats without a frame or pong (checked every heartbeat/4), then a retry within [0, 1 s]
        assertTrue("half-open link noticed after " + detectedS + " s", detectedS > 0 && detectedS <= 2 * HEARTBEAT + 1.0);
        assertTrue("half-open link replaced after " + replacedS + " s", replacedS <= 2 * HEARTBEAT + 2.0);
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 30);
    }

    /**
     * EdgeHub writes straight from its bus mailbox: what it holds for the cloud while the cloud is away stays there
     * when EdgeHub's bundle is updated meanwhile, and reaches the cloud once the new EdgeHub is connected. Runs after
     * t4 (CloudResponder counts the queries).
     */
    @Test
    public void t5b_messagesHeldForTheCloudSurviveAnUpdateOfEdgeHub() throws Exception {
        long before = field(cloud.client("kedge", PW, "itest:cloud-stats").output(), "received");
        cloud.client("kedge", PW, "bundle:stop dev.kedge.cloud.hub");
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        for (int i = 0; i < 3; i++) {
            String out = edge.client("kedge", PW, "bus:send -s itest -r resource websocket query default/configmap/hot-"
                    + i).output();
            assertTrue(out, out.contains("sent "));
        }
        assertTrue("EdgeHub holds the 3 queries for the cloud", websocketDepth() >= 3);
        String update = edge.client("kedge", PW, "bundle:update dev.kedge.edge.hub").output();
        assertTrue("bundle:update printed an error: " + update, !update.toLowerCase().contains("error"));
        assertTrue("the updated EdgeHub still holds them", websocketDepth() >= 3);

        cloud.client("kedge", PW, "bundle:start dev.kedge.cloud.hub");
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        long received;
        while ((received = field(cloud.client("kedge", PW, "itest:cloud-stats").output(), "received")) < before + 3) {
            assertTrue("the cloud got " + (received - before) + " of the 3 queries held across the update",
                    System.nanoTime() < deadline);
            Thread.sleep(500);
        }
    }

    /** Messages waiting in EdgeHub's mailbox, once an EdgeHub consumes it (ACTIVE; within 30 s of a restart). */
    private static long websocketDepth() throws Exception {
        Pattern row = Pattern.compile("websocket\\s*\\|\\s*hub\\s*\\|\\s*ACTIVE\\s*\\|\\s*(\\d+)\\s*\\|");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String modules = edge.client("kedge", PW, "bus:modules").output();
        Matcher m = row.matcher(modules);
        while (!m.find()) {
            assertTrue("no EdgeHub consumes its mailbox: " + modules, System.nanoTime() < deadline);
            Thread.sleep(200);
            modules = edge.client("kedge", PW, "bus:modules").output();
            m = row.matcher(modules);
        }
        return Long.parseLong(m.group(1));
    }

    @Test
    public void t6_cloudAndEdgeRestartsReconnect() throws Exception {
        cloud.close();
        edge.awaitConsole("kedge", PW, "edgehub:status", "DISCONNECTED", 60);
        cloud.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        cloud.awaitOutput("kedge", PW, "cloudhub:nodes", "127.0.0.1", 60);

        edge.close();
        edge.start();
        edge.awaitConsole("kedge", PW, "edgehub:status", "CONNECTED", 120);
        String nodes = cloud.awaitOutput("kedge", PW, "cloudhub:nodes", NODE, 30);
        assertTrue(nodes, nodes.contains("127.0.0.1"));
    }

    private static long counter(String table, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + "\\s*\\|\\s*(\\d+)").matcher(table);
        assertTrue(name + " in " + table, m.find());
        return Long.parseLong(m.group(1));
    }

    private static long field(String line, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(name) + "=(-?\\d+)").matcher(line);
        assertTrue(name + " in " + line, m.find());
        return Long.parseLong(m.group(1));
    }

    private static CertificateAuthority realCa() throws Exception {
        String data = Kubectl.run("get", "secret", "-n", "kubeedge", "casecret", "-o", "jsonpath={.data.cadata}");
        String key = Kubectl.run("get", "secret", "-n", "kubeedge", "casecret", "-o", "jsonpath={.data.cakeydata}");
        return CertificateAuthority.fromDer(java.util.Base64.getDecoder().decode(data.trim()),
                java.util.Base64.getDecoder().decode(key.trim()));
    }

    private interface Attempt {
        Object run() throws Exception;
    }

    private static void expectRefused(Attempt attempt, String what) {
        try {
            attempt.run();
            fail(what + " was accepted");
        } catch (Exception expected) {
            // refused at the TLS handshake or the upgrade
        }
    }

}
