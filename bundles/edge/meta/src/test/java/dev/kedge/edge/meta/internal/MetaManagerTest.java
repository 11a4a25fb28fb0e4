package dev.kedge.edge.meta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.TestConfigs;
import dev.kedge.edge.meta.MetaEntry;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreStats;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/** MetaManager on a real SQLite file and a recording bus. */
class MetaManagerTest {
    @TempDir
    Path dir;
    private final FakeBus bus = new FakeBus();
    private SqliteStore sqlite;
    private GatedStore store;
    private MetaManagerComponent meta;

    @BeforeEach
    void start() {
        sqlite = TestStores.open(dir.resolve("edgecore.db"));
        store = new GatedStore(sqlite);
        meta = new MetaManagerComponent(bus, store, TestConfigs.of(MetaConfig.class, Map.of("remoteQueryTimeout", 2)));
    }

    @AfterEach
    void stop() throws InterruptedException {
        meta.stop();
        sqlite.close(Duration.ofSeconds(5));
    }

    @Test
    void cloudPodIsStoredThenAckedThenForwardedToEdged() throws Exception {
        store.hold(); // the commit cannot happen yet
        Message m = cloud(Operations.INSERT, "default/pod/nginx", pod("nginx", "u1", "10"));
        meta.receive(m);
        Thread.sleep(100);
        assertTrue(bus.acksOf(m.id()).isEmpty(), "no ack before the commit");
        store.release();
        awaitAck(m);
        FakeBus.Call ack = bus.acksOf(m.id()).get(0);
        assertEquals(ModuleNames.EDGEHUB, ack.target());
        assertEquals(Operations.RESPONSE, ack.message().operation());
        assertEquals("default/pod/nginx", ack.message().resource());
        List<FakeBus.Call> toEdged = bus.calls("group", x -> x.id().equals(m.id()));
        for (int i = 0; i < 100 && toEdged.isEmpty(); i++) { // forwarded right after the ack, on another thread
            Thread.sleep(50);
            toEdged = bus.calls("group", x -> x.id().equals(m.id()));
        }
        assertEquals(ModuleNames.GROUP_EDGED, toEdged.get(0).target());
        assertTrue(toEdged.get(0).nanos() >= ack.nanos(), "ack first, then edged");
        assertEquals("10", rv(meta.get("default/pod/nginx")));
        assertEquals(List.of(new MetaEntry("default/pod/nginx", "pod", "10", meta.get("default/pod/nginx").get()
                .length())), meta.list("pod"));
    }

    @Test
    void deviceObjectsGoToDeviceTwinAfterTheCommit() throws Exception {
        Message m = Message.create(ModuleNames.DEVICECONTROLLER, "resource", Operations.INSERT,
                "default/device/thermo", MessageCodec.mapper().readTree(
                        "{\"kind\":\"Device\",\"metadata\":{\"name\":\"thermo\",\"namespace\":\"default\","
                                + "\"resourceVersion\":\"7\"}}"));
        meta.receive(m);
        awaitAck(m);
        Message toTwin = bus.await(x -> x.id().equals(m.id()) && "meta".equals(x.source()), Duration.ofSeconds(5),
                "device object to DeviceTwin");
        assertEquals(ModuleNames.GROUP_TWIN, toTwin.group());
        assertEquals("default/device/thermo", toTwin.resource());
        assertTrue(bus.calls("group", x -> x.id().equals(m.id())).stream()
                .noneMatch(c -> ModuleNames.GROUP_EDGED.equals(c.target())), "not edged's");
    }

    @Test
    void aTypesRevisionChangesAfterTheCommitOfItsRowsOnly() throws Exception {
        long devices = meta.revision("device");
        long pods = meta.revision("pod");
        store.hold();
        Message m = cloud(Operations.INSERT, "default/device/thermo",
                "{\"kind\":\"Device\",\"metadata\":{\"name\":\"thermo\",\"resourceVersion\":\"7\"}}");
        meta.receive(m);
        Thread.sleep(200);
        assertEquals(devices, meta.revision("device"), "not before the commit");
        store.release();
        awaitAck(m);
        long afterInsert = meta.revision("device");
        assertTrue(afterInsert > devices, "counted once committed");
        assertEquals(List.of("default/device/thermo"), meta.list("device").stream().map(e -> e.key()).toList());
        assertEquals(pods, meta.revision("pod"), "another type's unchanged");

        Message delete = cloud(Operations.DELETE, "default/device/thermo", "{}");
        meta.receive(delete);
        awaitAck(delete);
        assertTrue(meta.revision("device") > afterInsert, "a delete counts too");
    }

    @Test
    void failedWriteIsNeverAcked() throws Exception {
        store.failWrites.set(true);
        Message m = cloud(Operations.INSERT, "default/pod/nginx", pod("nginx", "u1", "10"));
        meta.receive(m);
        waitUntil(() -> meta.stats().failedWrites() == 1);
        Thread.sleep(100);
        assertTrue(bus.acksOf(m.id()).isEmpty());
        assertTrue(bus.calls("group", x -> true).isEmpty(), "not forwarded to edged either");
        assertEquals(Optional.empty(), meta.get("default/pod/nginx"));

        store.failWrites.set(false); // CloudHub resends: now it sticks
        meta.receive(m);
        awaitAck(m);
    }

    @Test
    void staleResendKeepsTheNewerRowButIsAcked() throws Exception {
        Message newer = cloud(Operations.UPDATE, "default/pod/nginx", pod("nginx", "u1", "20"));
        Message older = cloud(Operations.UPDATE, "default/pod/nginx", pod("nginx", "u1", "9"));
        meta.receive(newer);
        meta.receive(older);
        awaitAck(older);
        assertEquals("20", rv(meta.get("default/pod/nginx")));
        assertEquals(1, meta.stats().stale());
        assertTrue(bus.calls("group", x -> x.id().equals(older.id())).isEmpty(), "edged does not get the stale one");
    }

    @Test
    void podDeleteWithAnotherUidKeepsTheRow() throws Exception {
        meta.receive(cloud(Operations.INSERT, "default/pod/nginx", pod("nginx", "u1", "10")));
        Message patch = cloud(Operations.INSERT, "default/podpatch/nginx", "{\"a\":1}");
        meta.receive(patch);
        Message wrong = cloud(Operations.DELETE, "default/pod/nginx", pod("nginx", "other", "11"));
        meta.receive(wrong);
        awaitAck(wrong);
        assertTrue(meta.get("default/pod/nginx").isPresent());
        assertTrue(meta.get("default/podpatch/nginx").isPresent());

        Message right = cloud(Operations.DELETE, "default/pod/nginx", pod("nginx", "u1", "12"));
        meta.receive(right);
        awaitAck(right);
        assertFalse(meta.get("default/pod/nginx").isPresent());
        assertFalse(meta.get("default/podpatch/nginx").isPresent(), "podpatch goes with the pod");
        assertEquals(1, meta.stats().deleted());
    }

    @Test
    void queryAnswersLocallyOfflineAndFromTheCloudOnline() throws Exception {
        meta.receive(cloud(Operations.INSERT, "default/configmap/cfg", configMap("cfg", "1", "old")));
        meta.receive(cloud(Operations.INSERT, "default/pod/a", pod("a", "ua", "1")));
        meta.receive(cloud(Operations.INSERT, "kube-system/pod/b", pod("b", "ub", "1")));
        waitUntil(() -> meta.stats().acks() == 3);

        // offline: configmap from meta, as a JSON array of stored strings
        Message q1 = edgeQuery("default/configmap/cfg");
        meta.receive(q1);
        JsonNode a1 = arrayOf(bus.replyTo(q1.id()));
        assertEquals("old", MessageCodec.mapper().readTree(a1.get(0).asText()).path("data").path("k").asText());
        assertEquals(0, bus.calls("sync", x -> true).size(), "offline: nothing asked of the cloud");

        // list by type and namespace; * = all namespaces
        Message q2 = edgeQuery("default/pod");
        meta.receive(q2);
        assertEquals(1, arrayOf(bus.replyTo(q2.id())).size());
        Message q3 = edgeQuery("*/pod");
        meta.receive(q3);
        assertEquals(2, arrayOf(bus.replyTo(q3.id())).size());

        // online: the cloud answers, the answer is cached
        connect(true);
        bus.answerSync(req -> Message.responseTo(req, MessageCodec.mapper().valueToTree(configMapNode("cfg", "2",
                "new"))));
        Message q4 = edgeQuery("default/configmap/cfg");
        meta.receive(q4);
        JsonNode a4 = arrayOf(bus.replyTo(q4.id()));
        assertEquals("new", MessageCodec.mapper().readTree(a4.get(0).asText()).path("data").path("k").asText());
        FakeBus.Call sync = bus.calls("sync", x -> true).get(0);
        assertEquals(ModuleNames.EDGEHUB, sync.target());
        assertNotEquals(q4.id(), sync.message().id(), "own id towards the cloud, so the bus cannot mix up waiters");
        waitUntil(() -> "2".equals(rv(meta.get("default/configmap/cfg"))));

        // online, pods are still local
        Message q5 = edgeQuery("default/pod/a");
        meta.receive(q5);
        assertEquals(1, arrayOf(bus.replyTo(q5.id())).size());
        assertEquals(1, bus.calls("sync", x -> true).size());

        // online but the cloud does not answer: meta's copy
        bus.answerSync(req -> null);
        Message q6 = edgeQuery("default/configmap/cfg");
        meta.receive(q6);
        assertEquals(1, arrayOf(bus.replyTo(q6.id())).size());
    }

    @Test
    void remoteNodeInsertFailsAtOnceOffline() throws Exception {
        Message reg = edge(Operations.INSERT, "default/node/edge-1", "{\"metadata\":{\"name\":\"edge-1\"}}");
        meta.receive(reg);
        Message reply = bus.replyTo(reg.id());
        assertEquals(Operations.ERROR, reply.operation());
        assertEquals(RemoteOps.NOT_CONNECTED, reply.content());
        assertTrue(bus.calls("sync", x -> true).isEmpty());
        assertEquals(1, meta.stats().remoteFailed());
    }

    @Test
    void remoteNodeInsertOnlineStoresAndReturnsTheCloudsNode() throws Exception {
        connect(true);
        CountDownLatch cloudCalled = new CountDownLatch(1);
        CountDownLatch answerNow = new CountDownLatch(1);
        bus.answerSync(req -> {
            cloudCalled.countDown();
            await(answerNow);
            return Message.responseTo(req, MessageCodec.mapper().createObjectNode().set("metadata",
                    MessageCodec.mapper().createObjectNode().put("name", "edge-1").put("resourceVersion", "77")));
        });
        Message reg = edge(Operations.INSERT, "default/node/edge-1", "{\"metadata\":{\"name\":\"edge-1\"}}");
        meta.receive(reg); // returns although the cloud has not answered: a worker waits
        assertTrue(cloudCalled.await(5, TimeUnit.SECONDS));
        answerNow.countDown();
        Message reply = bus.replyTo(reg.id());
        assertEquals(Operations.RESPONSE, reply.operation());
        assertEquals("77", MessageCodec.contentTree(reply).path("metadata").path("resourceVersion").asText());
        assertEquals("77", rv(meta.get("default/node/edge-1")));
        assertEquals(1, meta.stats().remoteOk());
    }

    @Test
    void remoteLeaseAnsweredAsObjectRespIsStoredUnwrappedAndPassedOnAsItCame() throws Exception {
        connect(true);
        bus.answerSync(req -> Message.responseTo(req, json("{\"Object\":{\"metadata\":{\"name\":\"edge-1\","
                + "\"resourceVersion\":\"88\"}},\"Err\":null}")));
        Message lease = edge(Operations.UPDATE, "kube-node-lease/lease/edge-1", "{\"metadata\":{\"name\":\"edge-1\"}}");
        meta.receive(lease);
        Message reply = bus.replyTo(lease.id());
        assertEquals(Operations.RESPONSE, reply.operation());
        assertEquals("88", MessageCodec.contentTree(reply).at("/Object/metadata/resourceVersion").asText(),
                "the requester reads KubeEdge's ObjectResp");
        assertEquals("88", rv(meta.get("kube-node-lease/lease/edge-1")), "meta keeps the object itself");
        assertEquals(1, meta.stats().remoteOk());
    }

    @Test
    void remoteNodeInsertAnsweredWithAnErrFailsAndStoresNothing() throws Exception {
        connect(true);
        bus.answerSync(req -> Message.responseTo(req, json("{\"Object\":null,\"Err\":{}}")));
        Message reg = edge(Operations.INSERT, "default/node/edge-1", "{\"metadata\":{\"name\":\"edge-1\"}}");
        meta.receive(reg);
        Message reply = bus.replyTo(reg.id());
        assertEquals(Operations.ERROR, reply.operation());
        assertTrue(reply.contentAsString().contains("Err"), reply.contentAsString());
        assertTrue(meta.get("default/node/edge-1").isEmpty(), "a failed answer is not cached");
        assertEquals(1, meta.stats().remoteFailed());
    }

    @Test
    void statusReportIsStoredForwardedAndAnsweredOk() throws Exception {
        Message status = edge(Operations.UPDATE, "default/nodestatus/edge-1", "{\"UID\":\"n1\",\"Status\":{}}");
        meta.receive(status);
        Message reply = bus.replyTo(status.id());
        assertEquals(Operations.OK, reply.content());
        List<FakeBus.Call> up = bus.calls("send", x -> "default/nodestatus/edge-1".equals(x.resource())
                && Operations.UPDATE.equals(x.operation()));
        assertEquals(1, up.size());
        assertFalse(up.get(0).message().header().sync(), "the cloud copy is not a sync request");
        assertTrue(meta.get("default/nodestatus/edge-1").isPresent());

        Message podDelete = edge(Operations.DELETE, "default/pod/nginx", "{}");
        meta.receive(podDelete);
        assertEquals(1, bus.calls("send", x -> "default/pod/nginx".equals(x.resource())
                && Operations.DELETE.equals(x.operation())).size());
    }

    @Test
    void linkStateGatesRemoteOperations() throws Exception {
        assertFalse(meta.stats().connected(), "starts disconnected");
        connect(true);
        assertTrue(meta.stats().connected());
        connect(false);
        assertFalse(meta.stats().connected());
    }

    @Test
    void restartKeepsTheData() throws Exception {
        Message m = cloud(Operations.INSERT, "default/secret/s", "{\"metadata\":{\"name\":\"s\",\"resourceVersion\":\"5\"}}");
        meta.receive(m);
        awaitAck(m);
        meta.stop();
        sqlite.close(Duration.ofSeconds(5));

        sqlite = TestStores.open(dir.resolve("edgecore.db"));
        store = new GatedStore(sqlite);
        meta = new MetaManagerComponent(bus, store, TestConfigs.of(MetaConfig.class));
        assertEquals("5", rv(meta.get("default/secret/s")));
        Message q = edgeQuery("default/secret/s");
        meta.receive(q);
        assertEquals(1, arrayOf(bus.replyTo(q.id())).size());
    }

    @Test
    void badResourceIsRefusedAndCounted() {
        meta.receive(Message.create("edgecontroller", "resource", Operations.INSERT, "nonsense", "{}"));
        assertEquals(1, meta.stats().badMessages());
    }

    // helpers

    private void connect(boolean up) {
        meta.receive(Message.create("edgehub", ModuleNames.GROUP_META, Operations.CONNECT, "node/connection",
                up ? "cloud_connected" : "cloud_disconnected"));
    }

    private static JsonNode json(String json) {
        try {
            return MessageCodec.mapper().readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static Message cloud(String op, String resource, String json) {
        try {
            return Message.create("edgecontroller", "resource", op, resource, MessageCodec.mapper().readTree(json));
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Message edge(String op, String resource, String json) throws Exception {
        return Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, op, resource,
                MessageCodec.mapper().readTree(json)).withSync(true);
    }

    private static Message edgeQuery(String resource) {
        return Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, Operations.QUERY, resource, null)
                .withSync(true);
    }

    static String pod(String name, String uid, String rv) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"default\",\"uid\":\"" + uid
                + "\",\"resourceVersion\":\"" + rv + "\"},\"spec\":{\"nodeName\":\"edge-1\"}}";
    }

    private static String configMap(String name, String rv, String value) {
        return configMapNode(name, rv, value).toString();
    }

    private static JsonNode configMapNode(String name, String rv, String value) {
        var n = MessageCodec.mapper().createObjectNode();
        n.putObject("metadata").put("name", name).put("namespace", "default").put("resourceVersion", rv);
        n.putObject("data").put("k", value);
        return n;
    }

    private static JsonNode arrayOf(Message reply) {
        assertEquals(Operations.RESPONSE, reply.operation(), "reply " + reply);
        JsonNode a = MessageCodec.contentTree(reply);
        assertTrue(a.isArray(), "array answer: " + a);
        return a;
    }

    private static String rv(Optional<String> json) {
        return json.map(j -> ObjectMeta.ofJson(j).resourceVersion()).orElse(null);
    }

    private void awaitAck(Message m) throws InterruptedException {
        waitUntil(() -> !bus.acksOf(m.id()).isEmpty());
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(2);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The real store, with writes that can be held back (no commit yet) or made to fail. */
    static final class GatedStore implements EdgeStore {
        private final EdgeStore real;
        final AtomicBoolean failWrites = new AtomicBoolean();
        private volatile CountDownLatch gate = new CountDownLatch(0);

        GatedStore(EdgeStore real) {
            this.real = real;
        }

        void hold() {
            gate = new CountDownLatch(1);
        }

        void release() {
            gate.countDown();
        }

        @Override
        public <T> CompletableFuture<T> write(String what, SqlWork<T> work) {
            CountDownLatch g = gate;
            return real.write(what, c -> {
                await(g);
                if (failWrites.get()) {
                    throw new java.sql.SQLException("injected failure (disk full?)");
                }
                return work.run(c);
            });
        }

        @Override
        public <T> T read(SqlWork<T> work) {
            return real.read(work);
        }

        @Override
        public void migrate(String owner, List<String> steps) {
            real.migrate(owner, steps);
        }

        @Override
        public StoreStats stats() {
            return real.stats();
        }

        @Override
        public IntegrityResult checkIntegrity() {
            return real.checkIntegrity();
        }
    }
}
