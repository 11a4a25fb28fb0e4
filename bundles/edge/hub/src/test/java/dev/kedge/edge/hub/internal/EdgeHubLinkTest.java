package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestScheduler;
import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.edge.hub.EdgeHubStatus.State;
import dev.kedge.edge.hub.EdgeHubStatus;

/**
 * EdgeHub against a loopback CloudHub ({@link TestCloud}): bootstrap with a token, mutual TLS, KubeEdge's URL and
 * headers, keepalive, routing both ways, half-open link detection and reconnect; refusal of a wrong CA pin and of
 * a server certificate issued for another host. Heartbeat 1 s; every wait is bounded.
 */
@Timeout(60)
class EdgeHubLinkTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NODE = "edge-1";

    @TempDir
    Path certDir;
    private final RecordingBus bus = new RecordingBus().populatedGroups(Set.of("meta", "twin", "bus", "edged"));
    private TestCloud cloud;
    private EdgeHubComponent hub;
    private final TestScheduler scheduler = new TestScheduler();

    @AfterEach
    void tearDown() throws Exception {
        if (hub != null) {
            hub.deactivate();
        }
        scheduler.stop();
        if (cloud != null) {
            cloud.close();
        }
    }

    @Test
    void bootstrapsConnectsRoutesDetectsAHalfOpenLinkAndReconnects() throws Exception {
        cloud = new TestCloud(List.of("127.0.0.1", "localhost"));
        String token = cloud.token();
        FakeConfigAdmin cm = start(token);

        // bootstrap: token headers, files, key mode, token removed from the configuration
        TestCloud.Edge first = cloud.connections.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(first, "no WebSocket connection; status: " + hub.status());
        assertEquals(1, cloud.certRequests.size());
        Map<String, String> rq = cloud.certRequests.get(0);
        assertEquals("GET", rq.get("method"));
        assertEquals(NODE, rq.get("NodeName"));
        assertEquals("Bearer " + JoinToken.parse(token).jwt(), rq.get("Authorization"));
        for (String f : List.of(CertFiles.CA, CertFiles.CERT, CertFiles.KEY)) {
            assertTrue(Files.isRegularFile(certDir.resolve(f)), f);
        }
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certDir.resolve("server.key"))));
        await("token removed from the configuration", () -> !cm.properties.containsKey("token"));
        assertEquals(cloud.server(), cm.properties.get("server"), "the rest of the configuration stays");

        // connection: KubeEdge's URL, headers and node certificate
        assertEquals("/e632aba927ea4ac2b575ec1603d56f10/" + NODE + "/events", first.path);
        assertEquals(NODE, first.nodeId);
        assertEquals("e632aba927ea4ac2b575ec1603d56f10", first.projectId);
        assertEquals("msg", first.connectionUse);
        assertTrue(first.peerSubject.contains("CN=system:node:" + NODE), first.peerSubject);
        await("CONNECTED", () -> hub.status().state() == State.CONNECTED);
        await("cloud_connected broadcast", () -> linkEvents().containsAll(
                List.of("meta:cloud_connected", "twin:cloud_connected", "bus:cloud_connected", "edged:cloud_connected")));

        // keepalive as KubeEdge sends it
        Message keepalive = nextMessage(first, m -> true);
        assertEquals("websocket", keepalive.source());
        assertEquals("resource", keepalive.group());
        assertEquals("node", keepalive.resource());
        assertEquals("keepalive", keepalive.operation());
        assertEquals("ping", keepalive.content());

        // downstream: a bad frame is counted, the connection stays, the next message is routed to group meta
        first.send("{not json");
        Message pod = Message.create("edgecontroller", "resource", "insert", "default/pod/nginx", "{}");
        first.send(MessageCodec.encodeToString(pod));
        await("pod routed to meta", () -> bus.calls("group").stream()
                .anyMatch(c -> c.target().equals("meta") && c.message().id().equals(pod.id())));
        assertEquals(1, hub.status().badFrames());
        assertEquals(State.CONNECTED, hub.status().state());

        // upstream: what the bus hands the module reaches the cloud
        Message status = Message.create("edged", "meta", "update", "default/nodestatus/" + NODE, "{}");
        send(status);
        assertEquals(status.id(), nextMessage(first, m -> m.id().equals(status.id())).id());

        // half-open link: the cloud stops reading; found within 2 heartbeats (+ one check period and slack)
        first.blackHole();
        long blackAt = System.nanoTime();
        await("link loss detected", () -> hub.status().state() != State.CONNECTED);
        long detectMs = (System.nanoTime() - blackAt) / 1_000_000;
        assertTrue(detectMs <= 3_000, "half-open link found after " + detectMs + " ms; heartbeat is 1 s");
        assertTrue(hub.status().lastError().contains("half-open"), hub.status().lastError());
        await("cloud_disconnected broadcast", () -> linkEvents().contains("meta:cloud_disconnected"));

        // reconnect with backoff, and everything works again
        TestCloud.Edge second = cloud.connections.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(second, "no reconnect; status: " + hub.status());
        await("CONNECTED again", () -> hub.status().state() == State.CONNECTED);
        EdgeHubStatus s = hub.status();
        assertEquals(1, s.reconnects());
        assertEquals(1, cloud.certRequests.size(), "certificates are reused");
        assertEquals("keepalive", nextMessage(second, m -> true).operation());
        Message twin = Message.create("devicecontroller", "twin", "update", "node/" + NODE + "/membership", "{}");
        second.send(MessageCodec.encodeToString(twin));
        await("twin routed", () -> bus.calls("group").stream()
                .anyMatch(c -> c.target().equals("twin") && c.message().id().equals(twin.id())));
        Message after = Message.create("edged", "meta", "update", "default/nodestatus/" + NODE, "{}");
        send(after);
        assertEquals(after.id(), nextMessage(second, m -> m.id().equals(after.id())).id());
        assertTrue(s.framesOut() >= 3 && s.framesIn() >= 2, s.toString());
    }

    @Test
    void messagesHeldForTheCloudSurviveAnUpdateOfEdgeHub() throws Exception {
        cloud = new TestCloud(List.of("127.0.0.1", "localhost"));
        String token = cloud.token();
        start(token); // the node joins: certificates on disk
        assertNotNull(cloud.connections.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS),
                "no WebSocket connection; status: " + hub.status());
        hub.deactivate();

        // the cloud is away (nothing listens where EdgeHub dials): EdgeHub holds what modules send
        hub = null;
        start("", Map.of("server", "127.0.0.1:" + dev.kedge.core.testing.FreePorts.belowEphemeral()));
        await("DISCONNECTED", () -> hub.status().state() == State.DISCONNECTED);
        Message first = Message.create("edged", "meta", "update", "default/nodestatus/" + NODE, "{}");
        Message second = Message.create("twin", "resource", "update", "device/d1/twin/edge_updated", "{}");
        send(first);
        send(second);
        assertEquals(2, hub.status().outboxDepth(), "held for the cloud");

        hub.deactivate(); // its bundle is being updated
        hub = null;
        Message query = Message.create("metamanager", "meta", "query", "default/configmap/cm", null).withSync(true);
        send(query); // no EdgeHub at this moment: queued
        start(token); // the updated bundle, and the cloud is back
        List<Message> answers = bus.messages(RecordingBus.RESPOND);
        assertEquals(1, answers.size(), "the sync request sent meanwhile is answered at once: " + bus.describe());
        assertEquals(query.id(), answers.get(0).parentId());
        assertEquals("error", answers.get(0).operation());
        TestCloud.Edge link = cloud.connections.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(link, "no connection after the update; status: " + hub.status());
        java.util.Set<String> ids = java.util.Set.of(first.id(), second.id());
        assertEquals(first.id(), nextMessage(link, m -> ids.contains(m.id())).id(), "in the order sent");
        assertEquals(second.id(), nextMessage(link, m -> ids.contains(m.id())).id());
        await("nothing left waiting", () -> hub.status().outboxDepth() == 0);
    }

    @Test
    void wrongCaPinIsRefusedWithAClearErrorAndNothingSaved() throws Exception {
        cloud = new TestCloud(List.of("127.0.0.1"));
        String otherCloudsToken = JoinToken.create(CertificateAuthority.create(), Duration.ofHours(1),
                java.time.Clock.systemUTC());
        start(otherCloudsToken);
        await("bootstrap refused", () -> hub.status().lastError().contains("pins"));
        EdgeHubStatus s = hub.status();
        assertTrue(s.lastError().contains(JoinToken.parse(otherCloudsToken).caHash()), s.lastError());
        assertFalse(Files.exists(certDir.resolve(CertFiles.CA)), "an unpinned CA must not be saved");
        assertTrue(cloud.certRequests.isEmpty(), "no CSR goes to an unverified cloud");
        assertTrue(cloud.connections.isEmpty());
    }

    @Test
    void serverCertificateForAnotherHostIsRefused() throws Exception {
        cloud = new TestCloud(List.of("cloud.example.com")); // we dial 127.0.0.1
        start(cloud.token());
        await("host name mismatch reported", () -> hub.status().lastError().contains("not issued for this address"));
        assertTrue(cloud.connections.isEmpty());
        assertTrue(cloud.certRequests.isEmpty(), "even the CSR goes only to a verified host");
    }

    @Test
    void staysNotJoinedWithoutAServerAndAnswersSyncRequests() throws Exception {
        hub = new EdgeHubComponent(bus, new FakeConfigAdmin(Map.of()).service(), scheduler,
                TestConfigs.config(Map.of("nodeName", NODE, "certDir", certDir.toString())));
        await("NOT_JOINED", () -> hub.status().state() == State.NOT_JOINED);
        Message query = Message.create("metamanager", "meta", "query", "default/configmap/cm", null).withSync(true);
        send(query);
        assertEquals(query.id(), bus.calls("respond").get(0).message().parentId());
        assertEquals("error", bus.calls("respond").get(0).message().operation());
    }

    @Test
    void acksPassTheRateLimitOtherUpstreamMessagesWaitForIt() throws Exception {
        cloud = new TestCloud(List.of("127.0.0.1", "localhost"));
        start(cloud.token(), Map.of("messageQPS", 1, "messageBurst", 1));
        TestCloud.Edge link = cloud.connections.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertNotNull(link, "no WebSocket connection; status: " + hub.status());
        await("CONNECTED", () -> hub.status().state() == State.CONNECTED);

        // 50 acks at 1 message/s would take 49 s: they must not queue behind the limiter
        long t0 = System.nanoTime();
        List<String> ackIds = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Message ack = Message.responseTo(Message.create("edgecontroller", "resource", "insert",
                    "default/configmap/cm-" + i, "{}"), "OK");
            ackIds.add(ack.id());
            send(ack);
        }
        for (String id : ackIds) {
            nextMessage(link, m -> m.id().equals(id));
        }
        long acksMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(acksMs < 5_000, "50 acks took " + acksMs + " ms at messageQPS=1");

        // three status reports at 1/s with a burst of 1: the third leaves about 2 s after the first
        t0 = System.nanoTime();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message status = Message.create("edged", "meta", "update", "default/nodestatus/" + NODE, "{}");
            ids.add(status.id());
            send(status);
        }
        for (String id : ids) {
            nextMessage(link, m -> m.id().equals(id));
        }
        long statusMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(statusMs >= 1_500, "3 status reports passed a 1/s limiter in " + statusMs + " ms");
    }

    /** What a module does: send to EdgeHub. */
    private void send(Message m) {
        bus.send(ModuleNames.EDGEHUB, m);
    }

    private FakeConfigAdmin start(String token) {
        return start(token, Map.of());
    }

    private FakeConfigAdmin start(String token, Map<String, Object> extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("server", cloud.server());
        values.put("httpServer", cloud.httpServer());
        values.put("token", token);
        values.put("nodeName", NODE);
        values.put("heartbeat", 1);
        values.put("certDir", certDir.toString());
        values.put("handshakeTimeout", 5);
        values.put("writeDeadline", 2);
        values.put("reconnectMin", 1);
        values.put("reconnectMax", 2);
        values.putAll(extra);
        FakeConfigAdmin cm = new FakeConfigAdmin(values);
        hub = new EdgeHubComponent(bus, cm.service(), scheduler, TestConfigs.config(values));
        return cm;
    }

    private static Message nextMessage(TestCloud.Edge edge, java.util.function.Predicate<Message> wanted)
            throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            String frame = edge.nextFrame(Duration.ofMillis(200));
            if (frame != null) {
                Message m = MessageCodec.decode(frame);
                if (wanted.test(m)) {
                    return m;
                }
            }
        }
        return fail("no such frame from the edge within " + WAIT);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The link-state broadcasts seen so far, as "group:content". */
    private List<String> linkEvents() {
        return bus.calls(RecordingBus.GROUP, m -> CloudLink.SOURCE.equals(m.source())).stream()
                .map(c -> c.target() + ":" + c.message().content()).toList();
    }
}
