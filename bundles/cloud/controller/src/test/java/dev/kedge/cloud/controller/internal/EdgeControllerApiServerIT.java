package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The EdgeController against the real kube-apiserver ({@code KUBECONFIG}), with a recording bus instead of CloudHub.
 * Objects live in namespace {@code default} under unique {@code ec-test-} names and are removed afterwards.
 */
class EdgeControllerApiServerIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String NS = "default";
    private static final String ID = "ec-test-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String EDGE = ID + "-edge";
    private static final String PLAIN = ID + "-plain";
    private static final String REGISTERED = ID + "-reg";
    private static final String CM = ID + "-cm";
    private static final String SECRET = ID + "-sec";
    private static final String POD = ID + "-pod";
    private static final String PLAIN_POD = ID + "-plainpod";
    private static final String RESTART = ID + "-restart";
    private static final String PATCHED = ID + "-patched";

    private static ControllerFixture fixture;
    private static KubernetesClient client;
    private static RecordingBus bus;
    private static EdgeControllerComponent controller;

    @BeforeAll
    static void start() throws Exception {
        fixture = ControllerFixture.connect("EdgeControllerApiServerIT");
        client = fixture.client;
        client.nodes().resource(node(EDGE, Map.of(Downstream.EDGE_LABEL, ""))).create();
        client.nodes().resource(node(PLAIN, Map.of())).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(CM)
                .endMetadata().addToData("k", "v1").build()).create();
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(SECRET)
                .endMetadata().addToStringData("k", "s1").build()).create();
        bus = fixture.bus;
        controller = fixture.startController();
        ControllerFixture.connected(controller, EDGE, PLAIN, REGISTERED, ID + "-other");
    }

    @AfterAll
    static void stop() {
        if (fixture == null) {
            return;
        }
        for (String pod : List.of(POD, PLAIN_POD, RESTART, PATCHED)) {
            client.pods().inNamespace(NS).withName(pod).withGracePeriod(0).delete();
        }
        client.configMaps().inNamespace(NS).withName(CM).delete();
        client.secrets().inNamespace(NS).withName(SECRET).delete();
        client.leases().inNamespace("kube-node-lease").withName(REGISTERED).delete();
        for (String node : List.of(EDGE, PLAIN, REGISTERED, RESTART, ID + "-other")) {
            client.nodes().withName(node).delete();
        }
        fixture.close();
    }

    @Test
    void downstreamSendsReferencedObjectsThenThePodOnlyToItsEdgeNode() throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(pod(POD, EDGE)).create();
        Message cmInsert = bus.await(to(EDGE, Operations.INSERT, "configmap", CM), WAIT, "configmap insert");
        Message secretInsert = bus.await(to(EDGE, Operations.INSERT, "secret", SECRET), WAIT, "secret insert");
        Message podInsert = bus.await(to(EDGE, Operations.INSERT, "pod", POD), WAIT, "pod insert");
        assertTrue(bus.indexOf(cmInsert) < bus.indexOf(podInsert), "configmap before the pod");
        assertTrue(bus.indexOf(secretInsert) < bus.indexOf(podInsert), "secret before the pod");
        assertEquals(pod.getMetadata().getResourceVersion(), podInsert.header().resourceVersion());
        assertEquals(ModuleNames.EDGECONTROLLER, podInsert.source());
        assertEquals(ModuleNames.ROUTE_RESOURCE, podInsert.group());
        assertEquals(pod.getMetadata().getUid(), MessageCodec.contentTree(podInsert).at("/metadata/uid").asText());
        assertTrue(bus.sent().stream().allMatch(s -> s.target().equals(ModuleNames.CLOUDHUB)));

        // a pod on a node without the edge label: never sent (checked again at the end of this test)
        client.pods().inNamespace(NS).resource(pod(PLAIN_POD, PLAIN)).create();

        // configmap update → update to the referencing edge node
        var cm = client.configMaps().inNamespace(NS).withName(CM).edit(c -> {
            c.getData().put("k", "v2");
            return c;
        });
        Message cmUpdate = bus.await(to(EDGE, Operations.UPDATE, "configmap", CM), WAIT, "configmap update");
        assertEquals(cm.getMetadata().getResourceVersion(), cmUpdate.header().resourceVersion());
        assertEquals("v2", MessageCodec.contentTree(cmUpdate).at("/data/k").asText());

        // pod update → update
        Pod labelled = client.pods().inNamespace(NS).withName(POD).edit(p -> {
            p.getMetadata().setLabels(Map.of("touched", "yes"));
            return p;
        });
        Message podUpdate = bus.await(m -> to(EDGE, Operations.UPDATE, "pod", POD).test(m)
                && m.header().resourceVersion().equals(labelled.getMetadata().getResourceVersion()), WAIT, "pod update");
        assertEquals("yes", MessageCodec.contentTree(podUpdate).at("/metadata/labels/touched").asText());

        // upstream: pod status from its node, then a refused and an accepted delete
        ObjectNode status = MessageCodec.mapper().createObjectNode();
        status.put("UID", pod.getMetadata().getUid());
        status.put("Name", POD);
        status.set("Status", MessageCodec.mapper().readTree("{\"phase\":\"Running\",\"podIP\":\"10.9.8.7\"}"));
        Message podStatus = upstream(Operations.UPDATE, EDGE, NS, "podstatus", POD, status).withSync(true);
        controller.receive(podStatus);
        assertEquals(Operations.OK, answer(podStatus).content());
        assertEquals("Running", client.pods().inNamespace(NS).withName(POD).get().getStatus().getPhase());

        Message foreignDelete = upstream(Operations.DELETE, PLAIN, NS, "pod", POD, MessageCodec.mapper().valueToTree(pod));
        controller.receive(foreignDelete);
        assertEquals(Operations.ERROR, answer(foreignDelete).operation());
        assertNotNull(client.pods().inNamespace(NS).withName(POD).get(), "a node deletes only its own pods");

        // query: a referenced configmap is answered, an unreferenced secret is refused
        Message query = upstream(Operations.QUERY, EDGE, NS, "configmap", CM, null);
        controller.receive(query);
        assertEquals("v2", MessageCodec.contentTree(answer(query)).at("/data/k").asText());
        Message foreignQuery = upstream(Operations.QUERY, EDGE, NS, "secret", "kube-root-ca", null);
        controller.receive(foreignQuery);
        assertErrStatus(answer(foreignQuery), false, 403, "Forbidden");

        Message delete = upstream(Operations.DELETE, EDGE, NS, "pod", POD, MessageCodec.mapper().valueToTree(pod));
        controller.receive(delete);
        Message podDelete = bus.await(to(EDGE, Operations.DELETE, "pod", POD), WAIT, "pod delete after the edge's delete");
        assertEquals(pod.getMetadata().getUid(), MessageCodec.contentTree(podDelete).at("/metadata/uid").asText());
        assertNull(client.pods().inNamespace(NS).withName(POD).get(), "deleted with grace 0");

        assertTrue(bus.sent().stream().noneMatch(s -> !s.message().isResponse()
                && s.message().resource().startsWith("node/" + PLAIN + "/")),
                "nothing for a node without the edge label:" + bus.describe());

        // the plain node gets the edge label: its pod (and configmap) go out now
        client.nodes().withName(PLAIN).edit(n -> {
            n.getMetadata().getLabels().put(Downstream.EDGE_LABEL, "");
            return n;
        });
        Message lateCm = bus.await(to(PLAIN, Operations.INSERT, "configmap", CM), WAIT, "configmap to the new edge node");
        Message latePod = bus.await(to(PLAIN, Operations.INSERT, "pod", PLAIN_POD), WAIT, "pod to the new edge node");
        assertTrue(bus.indexOf(lateCm) < bus.indexOf(latePod));

        // counters move right after the bus took the message: give the worker its moment
        long until = System.nanoTime() + WAIT.toNanos();
        while (controller.counters().getOrDefault("downstream.insert.pod", 0L) < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Map<String, Long> counters = controller.counters();
        assertTrue(counters.getOrDefault("downstream.insert.pod", 0L) >= 2, counters.toString());
        assertTrue(counters.get("upstream.refused") >= 2, "foreign delete and foreign query: " + counters);
    }

    @Test
    void upstreamRegistersTheNodeAndWritesStatusAndLease() throws Exception {
        Node sent = new NodeBuilder().withNewMetadata().withName(REGISTERED).addToLabels("kubernetes.io/hostname",
                REGISTERED).endMetadata().withNewSpec().endSpec().withNewStatus()
                .withConditions(condition("Ready", "True", "EdgeReady")).endStatus().build();
        Message insert = upstream(Operations.INSERT, REGISTERED, NS, "node", REGISTERED,
                MessageCodec.mapper().valueToTree(sent));
        controller.receive(insert);
        Message answer = answer(insert);
        assertEquals(Operations.RESPONSE, answer.operation(), String.valueOf(answer.content()));
        assertEquals(insert.resource(), answer.resource(), "the answer keeps the request's resource");
        JsonNode stored = objectResp(answer);
        assertEquals("", stored.at("/metadata/labels/node-role.kubernetes.io~1edge").asText("missing"));
        Node node = client.nodes().withName(REGISTERED).get();
        assertEquals("", node.getMetadata().getLabels().get(Downstream.EDGE_LABEL));
        assertEquals(REGISTERED, node.getMetadata().getLabels().get("kubernetes.io/hostname"));
        assertEquals("EdgeReady", node.getStatus().getConditions().get(0).getReason(), "status written after create");

        // an admin's label survives a re-registration
        client.nodes().withName(REGISTERED).edit(n -> {
            n.getMetadata().getLabels().put("admin", "set");
            return n;
        });
        Message again = upstream(Operations.INSERT, REGISTERED, NS, "node", REGISTERED,
                MessageCodec.mapper().valueToTree(sent));
        controller.receive(again);
        assertEquals(Operations.RESPONSE, answer(again).operation());
        assertEquals("set", client.nodes().withName(REGISTERED).get().getMetadata().getLabels().get("admin"));

        // node status: replaced as sent
        ObjectNode request = MessageCodec.mapper().createObjectNode();
        request.put("UID", node.getMetadata().getUid());
        request.set("Status", MessageCodec.mapper().valueToTree(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .withConditions(condition("Ready", "False", "Heartbeat"), condition("MemoryPressure", "False", "Ok"))
                .build()));
        request.putNull("ExtendResources");
        Message status = upstream(Operations.UPDATE, REGISTERED, NS, "nodestatus", REGISTERED, request);
        controller.receive(status);
        assertEquals(Operations.OK, answer(status).content());
        List<NodeCondition> conditions = client.nodes().withName(REGISTERED).get().getStatus().getConditions();
        assertEquals(List.of("Heartbeat", "Ok"), conditions.stream().map(NodeCondition::getReason).toList());

        // lease: insert, then update
        Message leaseInsert = upstream(Operations.INSERT, REGISTERED, "kube-node-lease", "lease", REGISTERED,
                client.getKubernetesSerialization().convertValue(lease(ZonedDateTime.now(ZoneOffset.UTC).minusSeconds(10)), JsonNode.class));
        controller.receive(leaseInsert);
        assertEquals(REGISTERED, objectResp(answer(leaseInsert)).at("/spec/holderIdentity").asText());
        ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        Lease update = lease(renewed);
        Message leaseUpdate = upstream(Operations.UPDATE, REGISTERED, "kube-node-lease", "lease", REGISTERED,
                client.getKubernetesSerialization().asJson(update)); // as a JSON string: both shapes are read
        controller.receive(leaseUpdate);
        assertEquals(Operations.RESPONSE, answer(leaseUpdate).operation());
        assertEquals(renewed.toInstant(), client.leases().inNamespace("kube-node-lease").withName(REGISTERED).get()
                .getSpec().getRenewTime().toInstant());

        // a renewal with the answered version is one PUT; a stale version falls back to read-then-write
        String answered = objectResp(answer(leaseUpdate)).at("/metadata/resourceVersion").asText();
        long staleBefore = controller.counters().getOrDefault("upstream.lease.staleVersion", 0L);
        for (int i = 1; i <= 2; i++) {
            Lease renewal = lease(renewed.plusSeconds(10L * i));
            renewal.getMetadata().setResourceVersion(answered); // fresh the first time, stale the second
            Message m = upstream(Operations.UPDATE, REGISTERED, "kube-node-lease", "lease", REGISTERED,
                    client.getKubernetesSerialization().asJson(renewal));
            controller.receive(m);
            objectResp(answer(m));
            assertEquals(renewed.plusSeconds(10L * i).toInstant(), client.leases().inNamespace("kube-node-lease")
                    .withName(REGISTERED).get().getSpec().getRenewTime().toInstant());
        }
        assertEquals(staleBefore + 1, controller.counters().getOrDefault("upstream.lease.staleVersion", 0L));

        // node update: the sent labels and annotations are merged in, the others stay; answered "OK"
        Node labelled = new NodeBuilder().withNewMetadata().withName(REGISTERED).addToLabels("ec-test/updated", "yes")
                .addToAnnotations("ec-test/note", "hi").endMetadata().build();
        Message nodeUpdate = upstream(Operations.UPDATE, REGISTERED, NS, "node", REGISTERED,
                MessageCodec.mapper().valueToTree(labelled));
        controller.receive(nodeUpdate);
        assertEquals(Operations.OK, answer(nodeUpdate).content());
        Node merged = client.nodes().withName(REGISTERED).get();
        assertEquals("yes", merged.getMetadata().getLabels().get("ec-test/updated"));
        assertEquals("set", merged.getMetadata().getLabels().get("admin"), "an admin's label stays");
        assertEquals("", merged.getMetadata().getLabels().get(Downstream.EDGE_LABEL));
        assertEquals("hi", merged.getMetadata().getAnnotations().get("ec-test/note"));

        // nodepatch: KubeEdge's base64url strategic-merge patch of the status; conditions merge by type
        String patch = base64Url("{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\","
                + "\"reason\":\"Patched\",\"message\":\"why???\"}]}}");
        assertTrue(patch.contains("_") || patch.contains("-"), "the URL alphabet is exercised: " + patch);
        Message nodePatch = upstream(Operations.PATCH, REGISTERED, NS, "nodepatch", REGISTERED, patch);
        controller.receive(nodePatch);
        JsonNode patchedNode = objectResp(answer(nodePatch));
        assertEquals(REGISTERED, patchedNode.at("/metadata/name").asText());
        Map<String, String> reasons = new java.util.HashMap<>();
        client.nodes().withName(REGISTERED).get().getStatus().getConditions()
                .forEach(c -> reasons.put(c.getType(), c.getReason()));
        assertEquals(Map.of("Ready", "Patched", "MemoryPressure", "Ok"), reasons);
        Message foreignPatch = upstream(Operations.PATCH, REGISTERED, NS, "nodepatch", EDGE, patch);
        controller.receive(foreignPatch);
        assertErrStatus(answer(foreignPatch), true, 403, "Forbidden");
        assertTrue(client.nodes().withName(EDGE).get().getStatus().getConditions().stream()
                .noneMatch(c -> "Patched".equals(c.getReason())), "another node's status is not patched");

        // the certificate's node may not register another name
        Message foreign = upstream(Operations.INSERT, REGISTERED, NS, "node", ID + "-other",
                MessageCodec.mapper().valueToTree(new NodeBuilder().withNewMetadata().withName(ID + "-other")
                        .endMetadata().build()));
        controller.receive(foreign);
        assertErrStatus(answer(foreign), true, 403, "Forbidden");
        assertNull(client.nodes().withName(ID + "-other").get());
        assertTrue(controller.counters().get("upstream.refused") >= 1);
    }

    @Test
    void podPatchesAndUidDeletesFromTheEdgeAsKubeEdgeSendsThem() throws Exception {
        Pod pod = client.pods().inNamespace(NS).resource(pod(PATCHED, EDGE)).create();
        String uid = pod.getMetadata().getUid();
        String patch = base64Url("{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
                + "\"status\":\"True\"}]}}");

        // another node may not patch it
        Message foreign = upstream(Operations.PATCH, PLAIN, NS, "podpatch", PATCHED, patch);
        controller.receive(foreign);
        assertErrStatus(answer(foreign), true, 403, "Forbidden");
        assertEquals("Pending", client.pods().inNamespace(NS).withName(PATCHED).get().getStatus().getPhase());

        Message podPatch = upstream(Operations.PATCH, EDGE, NS, "podpatch", PATCHED, patch);
        controller.receive(podPatch);
        JsonNode answered = objectResp(answer(podPatch));
        assertEquals("Running", answered.at("/status/phase").asText());
        Pod stored = client.pods().inNamespace(NS).withName(PATCHED).get();
        assertEquals("Running", stored.getStatus().getPhase());
        assertEquals("True", stored.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .findFirst().orElseThrow().getStatus());

        // lenient shapes: standard base64 and a plain object, op update as KubeEdge's edge also sends
        String std = java.util.Base64.getEncoder().encodeToString(
                "{\"status\":{\"message\":\"std???\"}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Message stdPatch = upstream(Operations.UPDATE, EDGE, NS, "podpatch", PATCHED, std);
        controller.receive(stdPatch);
        assertEquals("std???", objectResp(answer(stdPatch)).at("/status/message").asText());
        Message objectPatch = upstream(Operations.PATCH, EDGE, NS, "podpatch", PATCHED,
                MessageCodec.mapper().readTree("{\"status\":{\"reason\":\"Plain\"}}"));
        controller.receive(objectPatch);
        assertEquals("Plain", objectResp(answer(objectPatch)).at("/status/reason").asText());
        Message garbage = upstream(Operations.PATCH, EDGE, NS, "podpatch", PATCHED, "not base64 at all!");
        controller.receive(garbage);
        assertErrStatus(answer(garbage), true, 400, "BadRequest");

        // delete with KubeEdge's content, the UID as a JSON string: a wrong UID leaves the pod, the right one deletes
        Message wrongUid = upstream(Operations.DELETE, EDGE, NS, "pod", PATCHED, UUID.randomUUID().toString())
                .withSync(true);
        controller.receive(wrongUid);
        assertEquals(Operations.OK, answer(wrongUid).content());
        assertNotNull(client.pods().inNamespace(NS).withName(PATCHED).get(), "another UID: not this pod");
        Message delete = upstream(Operations.DELETE, EDGE, NS, "pod", PATCHED, uid).withSync(true);
        controller.receive(delete);
        assertEquals(Operations.OK, answer(delete).content());
        assertNull(client.pods().inNamespace(NS).withName(PATCHED).get(), "deleted by its UID");
    }

    @Test
    void afterARestartTheLedgerSkipsWhatTheNodeAckedAlready() throws Exception {
        client.nodes().resource(node(RESTART, Map.of(Downstream.EDGE_LABEL, ""))).create();
        Pod pod = client.pods().inNamespace(NS).resource(pod(RESTART, RESTART)).create();
        AtomicInteger awaited = new AtomicInteger();
        ObjectSyncLedger ledger = new ObjectSyncLedger() {
            @Override
            public String ackedVersion(String node, String uid) {
                // the node acked the pod at its current version before the "restart", nothing else
                return node.equals(RESTART) && uid.equals(pod.getMetadata().getUid())
                        ? pod.getMetadata().getResourceVersion() : "";
            }

            @Override
            public boolean awaitSynced(Duration timeout) {
                awaited.incrementAndGet();
                return true;
            }
        };
        RecordingBus restartBus = new RecordingBus();
        try (EdgeControllerComponent restarted = new EdgeControllerComponent(restartBus, client,
                TestConfigs.of(EdgeControllerConfig.class))) {
            restarted.bindLedger(ledger);
            restarted.start();
            ControllerFixture.connected(restarted, RESTART);
            restartBus.await(to(RESTART, Operations.INSERT, "configmap", CM), WAIT, "configmap (not acked) sent");
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (restarted.counters().getOrDefault("downstream.skippedByLedger", 0L) < 1) {
                assertTrue(System.nanoTime() < deadline, "pod insert not skipped: " + restarted.counters());
                Thread.sleep(20);
            }
            assertTrue(restartBus.sent().stream().noneMatch(s -> to(RESTART, Operations.INSERT, "pod", RESTART)
                    .test(s.message())), "acked pod resent:" + restartBus.describe());
            assertEquals(1, awaited.get(), "awaitSynced once before the first send");

            Pod changed = client.pods().inNamespace(NS).withName(RESTART).edit(p -> {
                p.getMetadata().setLabels(Map.of("after", "restart"));
                return p;
            });
            Message update = restartBus.await(to(RESTART, Operations.UPDATE, "pod", RESTART), WAIT, "newer pod sent");
            assertEquals(changed.getMetadata().getResourceVersion(), update.header().resourceVersion());
            // the controller records what it sent right after handing it to the bus: wait for that record
            long until = System.nanoTime() + WAIT.toNanos();
            var info = restarted.nodes().stream().filter(n -> n.node().equals(RESTART)).findFirst().orElseThrow();
            while (info.podsAcked() != 0 && System.nanoTime() < until) {
                Thread.sleep(20);
                info = restarted.nodes().stream().filter(n -> n.node().equals(RESTART)).findFirst().orElseThrow();
            }
            assertEquals(1, info.podsSent());
            assertEquals(0, info.podsAcked(), "the newer version is not acked yet");
        }
    }

    @Test
    void aNodeServedByAnotherReplicaGetsNothingFromHereUntilItConnectsHere() throws Exception {
        String away = ID + "-away";
        client.nodes().resource(node(away, Map.of(Downstream.EDGE_LABEL, ""))).create();
        try {
            client.pods().inNamespace(NS).resource(pod(away, away)).create();
            // events go through one worker in order: once a later pod for a connected node is sent, the first passed
            client.pods().inNamespace(NS).resource(pod(away + "-marker", EDGE)).create();
            bus.await(to(EDGE, Operations.INSERT, "pod", away + "-marker"), WAIT, "marker pod");
            assertTrue(bus.sent().stream().noneMatch(s -> s.message().resource().startsWith("node/" + away + "/")),
                    "sent to a node not connected here: " + bus.describe());

            ControllerFixture.connected(controller, away);
            bus.await(to(away, Operations.INSERT, "pod", away), WAIT, "pod sent once the node connected here");

            // it leaves and comes back: what this replica sent before no longer counts (CloudHub dropped it)
            ControllerFixture.disconnected(controller, away);
            bus.clear();
            ControllerFixture.connected(controller, away);
            bus.await(to(away, Operations.INSERT, "pod", away), WAIT, "pod sent again after it came back");
        } finally {
            client.pods().inNamespace(NS).withName(away).withGracePeriod(0).delete();
            client.pods().inNamespace(NS).withName(away + "-marker").withGracePeriod(0).delete();
            client.nodes().withName(away).delete();
        }
    }

    // ---- helpers

    private static Predicate<Message> to(String node, String op, String type, String name) {
        String resource = Resource.cloud(node, NS, type, name);
        return m -> op.equals(m.operation()) && resource.equals(m.resource());
    }

    private static Message upstream(String op, String node, String ns, String type, String name, Object content) {
        return Message.create("edged", ModuleNames.ROUTE_META, op, Resource.cloud(node, ns, type, name), content);
    }

    private static Message answer(Message request) throws InterruptedException {
        return fixture.answer(request);
    }

    /** The object of KubeEdge's {@code ObjectResp} answer {@code {"Object": …, "Err": null}}. */
    private static JsonNode objectResp(Message answer) {
        assertEquals(Operations.RESPONSE, answer.operation(), String.valueOf(answer.content()));
        JsonNode resp = MessageCodec.contentTree(answer);
        assertTrue(resp.has("Err") && resp.get("Err").isNull(), "Err null: " + resp);
        assertTrue(resp.path("Object").isObject(), "Object: " + resp);
        return resp.get("Object");
    }

    /**
     * KubeEdge's failure answer: a {@code response} whose content is Go's JSON of a StatusError, bare (object
     * queries) or as the Err of an ObjectResp.
     */
    static JsonNode assertErrStatus(Message answer, boolean inObjectResp, int code, String reason) {
        assertEquals(Operations.RESPONSE, answer.operation(), String.valueOf(answer.content()));
        JsonNode content = MessageCodec.contentTree(answer);
        if (inObjectResp) {
            assertTrue(content.has("Object") && content.get("Object").isNull(), "Object null: " + content);
            content = content.path("Err");
        }
        JsonNode status = content.path("ErrStatus");
        assertEquals(code, status.path("code").asInt(), content.toString());
        assertEquals(reason, status.path("reason").asText(), content.toString());
        assertEquals("Failure", status.path("status").asText(), content.toString());
        return status;
    }

    /** Go's base64.URLEncoding (padded), as KubeEdge's edge encodes its patches. */
    private static String base64Url(String json) {
        return java.util.Base64.getUrlEncoder().encodeToString(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Node node(String name, Map<String, String> labels) {
        return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata().build();
    }

    private static Pod pod(String name, String node) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata().withNewSpec()
                .withNodeName(node).withAutomountServiceAccountToken(false)
                .addNewVolume().withName("conf").withNewConfigMap().withName(CM).endConfigMap().endVolume()
                .addNewContainer().withName("c").withImage("busybox").addNewEnv().withName("S").withNewValueFrom()
                .withNewSecretKeyRef().withName(SECRET).withKey("k").endSecretKeyRef().endValueFrom().endEnv()
                .endContainer().endSpec().build();
    }

    private static NodeCondition condition(String type, String status, String reason) {
        String now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_INSTANT);
        return new NodeConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withLastHeartbeatTime(now).withLastTransitionTime(now).build();
    }

    private static Lease lease(ZonedDateTime renew) {
        return new LeaseBuilder().withNewMetadata().withName(REGISTERED).withNamespace("kube-node-lease").endMetadata()
                .withNewSpec().withHolderIdentity(REGISTERED).withLeaseDurationSeconds(40).withRenewTime(renew.truncatedTo(ChronoUnit.MICROS))
                .endSpec().build();
    }
}
