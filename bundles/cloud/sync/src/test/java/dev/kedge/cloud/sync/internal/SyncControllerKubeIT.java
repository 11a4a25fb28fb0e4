package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.cloud.kube.testing.TestApiServer;
import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Against the real kube-apiserver of {@code KUBECONFIG}: CRDs, the ObjectSync writes an ack causes, and the
 * reconcile loop's messages to CloudHub. Everything created is named {@code sc-test-*} and removed afterwards; the
 * CRDs stay (they are cluster infrastructure, like KubeEdge's).
 */
class SyncControllerKubeIT {
    private static final String NS = "default";
    private static KubernetesClient client;

    private final String run = "sc-test-" + UUID.randomUUID().toString().substring(0, 8);
    private final String node = run + "-node";
    private RecordingBus bus;
    private SyncControllerComponent controller;

    @BeforeAll
    static void apiServer() {
        client = TestApiServer.client("SyncControllerKubeIT");
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build()).create();
        bus = new RecordingBus();
        // the period is long: the test drives the rounds itself
        controller = new SyncControllerComponent(bus, client, TestLeadership.leading(), config(1000), false);
        controller.start();
        assertTrue(controller.awaitAllSynced(Duration.ofSeconds(60)), "caches synced");
    }

    @AfterEach
    void cleanUp() {
        if (controller != null) {
            controller.close();
        }
        for (SyncKind k : SyncKind.values()) {
            var op = client.genericKubernetesResources(k.context);
            var list = k.namespaced ? op.inAnyNamespace().list() : op.list();
            list.getItems().stream().filter(s -> s.getMetadata().getName().startsWith(run))
                    .forEach(s -> client.resource(s).delete());
        }
        client.configMaps().inNamespace(NS).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith(run)).forEach(c -> client.resource(c).delete());
        client.nodes().withName(node).delete();
    }

    @Test
    void crdsAreInstalledEstablishedAndOurs() {
        for (SyncKind k : SyncKind.values()) {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(k.crdName()).get();
            assertNotNull(crd, k.crdName());
            assertTrue(CrdInstaller.established(crd), k.crdName() + " established");
            assertEquals(k.namespaced ? "Namespaced" : "Cluster", crd.getSpec().getScope());
            assertEquals("v1alpha1", crd.getSpec().getVersions().get(0).getName());
            assertNotNull(crd.getSpec().getVersions().get(0).getSubresources().getStatus(), "status subresource");
            assertEquals("kedge", crd.getMetadata().getLabels().get(CrdInstaller.MANAGED_BY));
        }
    }

    @Test
    void acksCreateRaiseNeverLowerAndDeleteTheObjectSync() {
        ConfigMap cm = createConfigMap(run + "-cm", "1");
        String uid = cm.getMetadata().getUid();
        String rv1 = cm.getMetadata().getResourceVersion();
        controller.receive(ack("insert", cm, rv1));
        awaitTrue(() -> rv1.equals(controller.ackedVersion(node, uid)), "ObjectSync recorded at " + rv1);

        GenericKubernetesResource sync = objectSync(node + "." + uid);
        assertEquals(Map.of("objectAPIVersion", "v1", "objectKind", "ConfigMap", "objectName", cm.getMetadata().getName()),
                sync.getAdditionalProperties().get("spec"));
        assertEquals(rv1, ObjectSyncCache.ackedVersion(sync), "status as written on the server");

        ConfigMap cm2 = updateConfigMap(cm, "2");
        String rv2 = cm2.getMetadata().getResourceVersion();
        controller.receive(ack("update", cm2, rv2));
        awaitTrue(() -> rv2.equals(controller.ackedVersion(node, uid)), "raised to " + rv2);

        long stale = controller.counters().get("staleAcks");
        controller.receive(ack("update", cm, rv1));
        awaitTrue(() -> controller.counters().get("staleAcks") == stale + 1 && controller.pendingWrites() == 0,
                "older ack handled");
        assertEquals(rv2, ObjectSyncCache.ackedVersion(objectSync(node + "." + uid)), "never lowered");

        controller.receive(ack("delete", cm2, ""));
        awaitTrue(() -> objectSyncOrNull(node + "." + uid) == null, "ObjectSync deleted after a delete ack");
        awaitTrue(() -> controller.ackedVersion(node, uid).isEmpty(), "ledger forgot it");
    }

    @Test
    void clusterScopedObjectsGoToClusterObjectSyncs() {
        String uid = UUID.randomUUID().toString();
        JsonNode content = dev.kedge.core.MessageCodec.mapper().createObjectNode().put("apiVersion", "v1")
                .put("kind", "Node").set("metadata", dev.kedge.core.MessageCodec.mapper().createObjectNode()
                        .put("name", node).put("uid", uid));
        controller.receive(Message.create("cloudhub", "resource", "update", "node/" + node + "/null/node/" + node, content)
                .withResourceVersion("42"));
        awaitTrue(() -> "42".equals(controller.ackedVersion(node, uid)), "ClusterObjectSync recorded");
        assertNotNull(client.genericKubernetesResources(SyncKind.CLUSTER_OBJECT_SYNC.context).withName(node + "." + uid).get());
    }

    @Test
    void reconcileResendsANewerObjectAndDeletesAGoneOne() {
        ConfigMap cm = createConfigMap(run + "-cm", "1");
        String uid = cm.getMetadata().getUid();
        controller.receive(ack("insert", cm, cm.getMetadata().getResourceVersion()));
        awaitTrue(() -> !controller.ackedVersion(node, uid).isEmpty(), "acked");
        controller.reconcileNow();
        assertTrue(messagesFor(cm.getMetadata().getName()).isEmpty(), "in sync: nothing sent");

        String rv2 = updateConfigMap(cm, "2").getMetadata().getResourceVersion();
        awaitTrue(() -> {
            controller.reconcileNow();
            return messagesFor(cm.getMetadata().getName()).stream().anyMatch(m -> m.operation().equals("update"));
        }, "update resent");
        Message update = messagesFor(cm.getMetadata().getName()).get(0);
        assertEquals("edgecontroller", update.source());
        assertEquals("resource", update.group());
        assertEquals("node/" + node + "/default/configmap/" + cm.getMetadata().getName(), update.resource());
        assertEquals(rv2, update.header().resourceVersion());
        JsonNode sent = (JsonNode) update.content();
        assertEquals("2", sent.path("data").path("v").asText());
        assertEquals(uid, sent.path("metadata").path("uid").asText());
        assertEquals("ConfigMap", sent.path("kind").asText());

        client.configMaps().inNamespace(NS).withName(cm.getMetadata().getName()).delete();
        awaitTrue(() -> {
            controller.reconcileNow();
            return messagesFor(cm.getMetadata().getName()).stream().anyMatch(m -> m.operation().equals("delete"));
        }, "delete sent");
        Message delete = messagesFor(cm.getMetadata().getName()).stream().filter(m -> m.operation().equals("delete"))
                .findFirst().orElseThrow();
        JsonNode tomb = (JsonNode) delete.content();
        assertEquals(uid, tomb.path("metadata").path("uid").asText());
        assertEquals(cm.getMetadata().getName(), tomb.path("metadata").path("name").asText());
        assertEquals(NS, tomb.path("metadata").path("namespace").asText());
        assertEquals("ConfigMap", tomb.path("kind").asText());
        assertTrue(controller.counters().get("resends") >= 1 && controller.counters().get("deletesSent") >= 1);
    }

    @Test
    void asAFollowerItResendsOnlyToItsConnectedNodesAndCollectsNothing() throws InterruptedException {
        java.util.concurrent.atomic.AtomicBoolean leading = new java.util.concurrent.atomic.AtomicBoolean(false);
        RecordingBus replicaBus = new RecordingBus();
        try (SyncControllerComponent replica = new SyncControllerComponent(replicaBus, client,
                new TestLeadership(leading::get), config(1000), true)) {
            replica.start();
            assertTrue(replica.awaitAllSynced(Duration.ofSeconds(60)), "a follower starts on the leader's CRDs");
            ConfigMap cm = createConfigMap(run + "-cm", "1");
            String ghost = run + "-ghost";
            controller.receive(ack("insert", cm, cm.getMetadata().getResourceVersion())); // another replica's ack
            controller.receive(ackFor(ghost, "insert", cm, cm.getMetadata().getResourceVersion()));
            String uid = cm.getMetadata().getUid();
            awaitTrue(() -> !replica.ackedVersion(node, uid).isEmpty()
                    && !replica.ackedVersion(ghost, uid).isEmpty(), "the follower sees the other's ledger");
            updateConfigMap(cm, "2");
            Thread.sleep(500);
            replica.reconcileNow();
            assertTrue(replicaBus.sentTo(ModuleNames.CLOUDHUB).isEmpty(), "node not connected here: nothing sent");
            assertEquals(0L, replica.counters().get("leaderRounds"));
            assertTrue(objectSyncOrNull(ghost + "." + uid) != null, "a follower collects nothing");

            // the node connects to this replica: what it lacks goes at once, from the ledger the other wrote
            replica.receive(Message.create("cloudhub", "resource", "connected", "node/" + node, "{}"));
            awaitTrue(() -> replicaBus.sentTo(ModuleNames.CLOUDHUB).stream()
                    .anyMatch(m -> m.operation().equals("update") && m.resource().endsWith("/" + cm.getMetadata()
                            .getName())), "update sent on connect");

            leading.set(true);
            awaitTrue(() -> {
                replica.reconcileNow();
                return objectSyncOrNull(ghost + "." + uid) == null;
            }, "the leader collects");
            assertTrue(replica.counters().get("leaderRounds") >= 1);
        }
    }

    @Test
    void objectSyncsOfANodeThatDoesNotExistAreCollected() {
        ConfigMap cm = createConfigMap(run + "-cm", "1");
        String ghost = run + "-ghost";
        controller.receive(ackFor(ghost, "insert", cm, cm.getMetadata().getResourceVersion()));
        String name = ghost + "." + cm.getMetadata().getUid();
        awaitTrue(() -> !controller.ackedVersion(ghost, cm.getMetadata().getUid()).isEmpty(), "ghost ObjectSync made");
        awaitTrue(() -> {
            controller.reconcileNow();
            return objectSyncOrNull(name) == null;
        }, "collected");
        assertTrue(controller.counters().get("garbageCollected") >= 1);
        assertTrue(messagesFor(cm.getMetadata().getName()).isEmpty(), "nothing sent to a node that is gone");
    }

    @Test
    void aBurstOfAcksBecomesFewWritesWithTheLatestVersion() {
        ConfigMap cm = createConfigMap(run + "-cm", "1");
        String uid = cm.getMetadata().getUid();
        long base = Long.parseLong(cm.getMetadata().getResourceVersion());
        long writes0 = controller.counters().get("writes");
        long t0 = System.nanoTime();
        for (int i = 0; i < 1000; i++) {
            controller.receive(ack("update", cm, Long.toString(base + i)));
        }
        long offered = System.nanoTime() - t0;
        String last = Long.toString(base + 999);
        awaitTrue(() -> last.equals(controller.ackedVersion(node, uid)), "latest version recorded");
        long writes = controller.counters().get("writes") - writes0;
        System.out.printf("1000 acks offered in %d ms, %d API writes, %d coalesced%n", offered / 1_000_000, writes,
                controller.counters().get("coalesced"));
        assertTrue(writes < 100, "writes " + writes);
        assertTrue(controller.counters().get("coalesced") >= 900);
    }

    @Test
    void aRoundSendsAtMostTheBudgetAndTheNextGoesOn() throws InterruptedException {
        controller.close();
        controller = new SyncControllerComponent(bus, client, TestLeadership.leading(), config(1), false);
        controller.start();
        assertTrue(controller.awaitAllSynced(Duration.ofSeconds(60)), "caches synced");
        ConfigMap a = createConfigMap(run + "-a", "1");
        ConfigMap b = createConfigMap(run + "-b", "1");
        controller.receive(ack("insert", a, a.getMetadata().getResourceVersion()));
        controller.receive(ack("insert", b, b.getMetadata().getResourceVersion()));
        awaitTrue(() -> !controller.ackedVersion(node, a.getMetadata().getUid()).isEmpty()
                && !controller.ackedVersion(node, b.getMetadata().getUid()).isEmpty(), "both acked");
        String rvA = updateConfigMap(a, "2").getMetadata().getResourceVersion();
        String rvB = updateConfigMap(b, "2").getMetadata().getResourceVersion();
        awaitTrue(() -> controller.objects(node).stream().filter(r -> r.state().equals("OUTDATED")).count() == 2,
                "both outdated in the cache");
        bus.clear();
        controller.reconcileNow();
        List<Message> first = bus.sent().stream().map(RecordingBus.Call::message)
                .filter(m -> m.resource().startsWith("node/" + node + "/")).toList();
        assertEquals(1, first.size(), "budget of one message");
        controller.reconcileNow();
        List<String> versions = bus.sent().stream().map(RecordingBus.Call::message)
                .filter(m -> m.resource().startsWith("node/" + node + "/")).map(m -> m.header().resourceVersion())
                .toList();
        assertEquals(2, versions.size());
        assertTrue(versions.containsAll(List.of(rvA, rvB)), "the second round resumed with the other: " + versions);
    }

    @Test
    void badAcksAreCountedNotThrown() {
        controller.receive(Message.create("cloudhub", "resource", "update", "node/" + node + "/default/pod/p", "OK"));
        assertEquals(1, controller.counters().get("acksRejected"));
        assertFalse(controller.counters().get("acksRecorded") > 0);
    }

    private List<Message> messagesFor(String objectName) {
        return bus.sentTo(ModuleNames.CLOUDHUB).stream()
                .filter(m -> m.resource().startsWith("node/" + node + "/") && m.resource().endsWith("/" + objectName))
                .toList();
    }

    private Message ack(String op, ConfigMap cm, String rv) {
        return ackFor(node, op, cm, rv);
    }

    private Message ackFor(String toNode, String op, ConfigMap cm, String rv) {
        JsonNode content = client.getKubernetesSerialization().convertValue(cm, JsonNode.class);
        return Message.create("cloudhub", "resource", op,
                "node/" + toNode + "/" + NS + "/configmap/" + cm.getMetadata().getName(), content).withResourceVersion(rv);
    }

    private ConfigMap createConfigMap(String name, String value) {
        return client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(name)
                .endMetadata().addToData("v", value).build()).create();
    }

    private ConfigMap updateConfigMap(ConfigMap cm, String value) {
        return client.configMaps().inNamespace(NS).withName(cm.getMetadata().getName())
                .edit(c -> new ConfigMapBuilder(c).addToData("v", value).build());
    }

    private GenericKubernetesResource objectSync(String name) {
        GenericKubernetesResource s = objectSyncOrNull(name);
        assertNotNull(s, "ObjectSync " + name);
        return s;
    }

    private GenericKubernetesResource objectSyncOrNull(String name) {
        return client.genericKubernetesResources(SyncKind.OBJECT_SYNC.context).inNamespace(NS).withName(name).get();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting: " + what);
            }
        }
    }

    /** The period is long: the tests drive the rounds themselves. */
    private static SyncControllerConfig config(int maxResendsPerRound) {
        return TestConfigs.of(SyncControllerConfig.class, Map.of("reconcilePeriodSeconds", 3600,
                "maxResendsPerRound", maxResendsPerRound, "queueFullWaitMs", 100, "maxWriteAttempts", 5,
                "maxRetryBackoffMs", 1000));
    }
}
