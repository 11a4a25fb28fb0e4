package dev.kedge.cloud.controller.internal;

import static dev.kedge.cloud.controller.internal.EdgeControllerApiServerIT.assertErrStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.storage.VolumeAttachmentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What a KubeEdge v1.15 edgecore asks of EdgeController beyond Kedge's own edge, as golden frames: the JSON its
 * MetaManager writes to the WebSocket (route {@code edged}/{@code meta}, resource {@code <ns>/<type>/<name>}, Go's
 * JSON of the object), prefixed with {@code node/<id>/} as CloudHub does; answered on the real kube-apiserver in the
 * shapes KubeEdge's edge decodes (upstream.go: the bare object for queries, {@code ObjectResp} for leases and pod
 * inserts, Go's JSON of a StatusError on failure).
 */
class KubeEdgeV115UpstreamIT {
    private static final String ID = "v115-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String NODE = ID + "-edge";
    private static final String OTHER = ID + "-other";
    private static final String NS = "default";
    private static final String SA = ID + "-sa";
    private static final String POD = ID + "-pod";
    private static final String CLAIM = ID + "-claim";
    private static final String VOLUME = ID + "-pv";
    private static final String ATTACHMENT = ID + "-va";
    private static final String MIRROR = ID + "-static-" + NODE;

    private static ControllerFixture fixture;
    private static KubernetesClient client;
    private static String podUid;

    @BeforeAll
    static void start() throws Exception {
        fixture = ControllerFixture.connect("KubeEdgeV115UpstreamIT");
        client = fixture.client;
        for (String n : new String[] {NODE, OTHER}) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(n)
                    .addToLabels(Downstream.EDGE_LABEL, "").endMetadata().build()).create();
        }
        client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata().withName(SA)
                .endMetadata().build()).create();
        // bound by hand: the test API server runs no PV controller
        client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(VOLUME)
                .endMetadata().withNewSpec().addToCapacity("storage", new Quantity("1Gi"))
                .withAccessModes("ReadWriteOnce").withNewHostPath().withPath("/tmp/" + ID).endHostPath()
                .withNewClaimRef().withNamespace(NS).withName(CLAIM).endClaimRef().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName(CLAIM).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withVolumeName(VOLUME)
                .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build())
                .create();
        podUid = client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(POD)
                .endMetadata().withNewSpec().withNodeName(NODE).withServiceAccountName(SA)
                .withAutomountServiceAccountToken(false).addNewVolume().withName("data")
                .withNewPersistentVolumeClaim().withClaimName(CLAIM).endPersistentVolumeClaim().endVolume()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create()
                .getMetadata().getUid();
        client.storage().v1().volumeAttachments().resource(new VolumeAttachmentBuilder().withNewMetadata()
                .withName(ATTACHMENT).endMetadata().withNewSpec().withAttacher("csi.example.com").withNodeName(NODE)
                .withNewSource().withPersistentVolumeName(VOLUME).endSource().endSpec().build()).create();
        fixture.startController();
    }

    @AfterAll
    static void stop() {
        if (fixture == null) {
            return;
        }
        client.pods().inNamespace(NS).withName(POD).withGracePeriod(0).delete();
        client.pods().inNamespace(NS).withName(MIRROR).withGracePeriod(0).delete();
        client.persistentVolumeClaims().inNamespace(NS).withName(CLAIM).delete();
        client.persistentVolumes().withName(VOLUME).delete();
        client.storage().v1().volumeAttachments().withName(ATTACHMENT).delete();
        client.serviceAccounts().inNamespace(NS).withName(SA).delete();
        client.leases().inNamespace("kube-node-lease").withName(NODE).delete();
        client.nodes().withName(NODE).delete();
        client.nodes().withName(OTHER).delete();
        fixture.close();
    }

    @Test
    void theKubeletReadsItsNodeAsTheObjectItself() throws Exception {
        Message answer = ask(NODE, frame("query", "default/node/" + NODE, "null"));
        assertEquals(Operations.RESPONSE, answer.operation());
        JsonNode node = MessageCodec.contentTree(answer);
        assertEquals("Node", node.path("kind").asText(), "edgecore's MetaServer imitator needs kind: " + node);
        assertEquals("v1", node.path("apiVersion").asText());
        assertEquals(NODE, node.at("/metadata/name").asText());
        assertEquals(node.at("/metadata/resourceVersion").asText(), answer.header().resourceVersion());
        assertErrStatus(ask(NODE, frame("query", "default/node/" + OTHER, "null")), false, 403, "Forbidden");
    }

    @Test
    void theLeaseIsReadCreatedAndRenewedAsKubeEdgeAnswers() throws Exception {
        // first the node-lease controller reads it: 404 in an ObjectResp, which it tests with IsNotFound
        JsonNode missing = assertErrStatus(ask(NODE, frame("query", "kube-node-lease/lease/" + NODE, "null")), true,
                404, "NotFound");
        assertTrue(missing.path("message").asText().contains("not found"), missing.toString());
        String lease = "{\"metadata\":{\"name\":\"" + NODE + "\",\"namespace\":\"kube-node-lease\","
                + "\"creationTimestamp\":null},\"spec\":{\"holderIdentity\":\"" + NODE + "\","
                + "\"leaseDurationSeconds\":40,\"renewTime\":\"2026-12-03T23:00:00.000000Z\"}}";
        JsonNode created = objectResp(ask(NODE, frame("insert", "kube-node-lease/lease/" + NODE, lease)));
        assertEquals(NODE, created.at("/spec/holderIdentity").asText());
        JsonNode read = objectResp(ask(NODE, frame("query", "kube-node-lease/lease/" + NODE, "null")));
        assertEquals("Lease", read.path("kind").asText(), read.toString());
        assertEquals("coordination.k8s.io/v1", read.path("apiVersion").asText());
        String renewed = lease.replace("23:00:00.000000Z", "23:00:10.000000Z").replace("\"creationTimestamp\":null",
                "\"resourceVersion\":\"" + read.at("/metadata/resourceVersion").asText() + "\"");
        objectResp(ask(NODE, frame("update", "kube-node-lease/lease/" + NODE, renewed)));
        assertEquals(10, client.leases().inNamespace("kube-node-lease").withName(NODE).get().getSpec()
                .getRenewTime().getSecond());
        assertErrStatus(ask(OTHER, frame("query", "kube-node-lease/lease/" + NODE, "null")), true, 403, "Forbidden");
    }

    @Test
    void aNodeUpdateMergesLabelsAndIsAnsweredOk() throws Exception {
        Message answer = ask(NODE, frame("update", "default/node/" + NODE,
                "{\"metadata\":{\"name\":\"" + NODE + "\",\"labels\":{\"v115\":\"yes\"}},\"spec\":{},\"status\":{}}"));
        assertEquals("OK", answer.content());
        assertEquals("yes", client.nodes().withName(NODE).get().getMetadata().getLabels().get("v115"));
    }

    @Test
    void aServiceAccountTokenIsIssuedForAPodOfTheNodeOnly() throws Exception {
        String request = "{\"metadata\":{\"creationTimestamp\":null},\"spec\":{\"audiences\":"
                + "[\"https://kubernetes.default.svc.cluster.local\"],\"expirationSeconds\":3607,"
                + "\"boundObjectRef\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"name\":\"" + POD + "\",\"uid\":\""
                + podUid + "\"}},\"status\":{\"token\":\"\",\"expirationTimestamp\":null}}";
        Message answer = ask(NODE, frame("query", NS + "/serviceaccounttoken/" + SA, request));
        JsonNode token = MessageCodec.contentTree(answer);
        assertEquals("TokenRequest", token.path("kind").asText(), token.toString());
        assertEquals("authentication.k8s.io/v1", token.path("apiVersion").asText());
        assertTrue(token.at("/status/token").asText().split("\\.").length == 3, "a JWT: " + token);
        // another node, or another account, gets the API server's 403
        assertErrStatus(ask(OTHER, frame("query", NS + "/serviceaccounttoken/" + SA, request)), false, 403,
                "Forbidden");
        assertErrStatus(ask(NODE, frame("query", NS + "/serviceaccounttoken/default", request)), false, 403,
                "Forbidden");
    }

    @Test
    void volumesClaimsAndAttachmentsOfTheNodesPodsAreAnswered() throws Exception {
        JsonNode claim = MessageCodec.contentTree(ask(NODE, frame("query", NS + "/persistentvolumeclaim/" + CLAIM,
                "null")));
        assertEquals("PersistentVolumeClaim", claim.path("kind").asText(), claim.toString());
        assertEquals(VOLUME, claim.at("/spec/volumeName").asText());
        // KubeEdge's edge names cluster-scoped volumes in namespace "default"
        JsonNode volume = MessageCodec.contentTree(ask(NODE, frame("query", "default/persistentvolume/" + VOLUME,
                "null")));
        assertEquals("PersistentVolume", volume.path("kind").asText(), volume.toString());
        JsonNode attachment = MessageCodec.contentTree(ask(NODE, frame("query", "default/volumeattachment/"
                + ATTACHMENT, "null")));
        assertEquals("VolumeAttachment", attachment.path("kind").asText(), attachment.toString());
        assertEquals(NODE, attachment.at("/spec/nodeName").asText());
        assertErrStatus(ask(OTHER, frame("query", NS + "/persistentvolumeclaim/" + CLAIM, "null")), false, 403,
                "Forbidden");
        assertErrStatus(ask(OTHER, frame("query", "default/persistentvolume/" + VOLUME, "null")), false, 403,
                "Forbidden");
        assertErrStatus(ask(OTHER, frame("query", "default/volumeattachment/" + ATTACHMENT, "null")), false, 403,
                "Forbidden");
        assertErrStatus(ask(NODE, frame("query", "default/volumeattachment/" + ID + "-none", "null")), false, 404,
                "NotFound");
    }

    @Test
    void aMirrorPodIsCreatedForTheNodeOnlyAndOnlyOnce() throws Exception {
        String mirror = "{\"metadata\":{\"name\":\"" + MIRROR + "\",\"namespace\":\"" + NS + "\","
                + "\"creationTimestamp\":null,\"annotations\":{\"kubernetes.io/config.hash\":\"h1\","
                + "\"kubernetes.io/config.mirror\":\"h1\",\"kubernetes.io/config.source\":\"file\"}},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":{}}],"
                + "\"nodeName\":\"" + NODE + "\"},\"status\":{}}";
        JsonNode created = objectResp(ask(NODE, frame("insert", NS + "/pod/" + MIRROR, mirror)));
        assertEquals(MIRROR, created.at("/metadata/name").asText());
        assertNotNull(client.pods().inNamespace(NS).withName(MIRROR).get());
        assertErrStatus(ask(NODE, frame("insert", NS + "/pod/" + MIRROR, mirror)), true, 409, "AlreadyExists");
        // not a mirror, or bound elsewhere: refused, nothing created
        String plain = mirror.replace("\"kubernetes.io/config.mirror\":\"h1\",", "").replace(MIRROR, ID + "-plain");
        assertErrStatus(ask(NODE, frame("insert", NS + "/pod/" + ID + "-plain", plain)), true, 403, "Forbidden");
        assertErrStatus(ask(OTHER, frame("insert", NS + "/pod/" + MIRROR + "x", mirror.replace(MIRROR,
                MIRROR + "x"))), true, 403, "Forbidden");
        assertNull(client.pods().inNamespace(NS).withName(ID + "-plain").get());
    }

    @Test
    void aMissingConfigMapIsKubeEdgesNotFound() throws Exception {
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(POD + "-cm").endMetadata()
                .withNewSpec().withNodeName(NODE).withAutomountServiceAccountToken(false).addNewVolume()
                .withName("c").withNewConfigMap().withName(ID + "-absent").endConfigMap().endVolume()
                .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build()).create();
        try {
            JsonNode status = null;
            for (int i = 0; i < 100 && status == null; i++) { // the downstream index learns the pod's references
                Message answer = ask(NODE, frame("query", NS + "/configmap/" + ID + "-absent", "null"));
                JsonNode s = MessageCodec.contentTree(answer).path("ErrStatus");
                if (s.path("code").asInt() == 404) {
                    status = s;
                } else {
                    Thread.sleep(100);
                }
            }
            assertNotNull(status, "404 NotFound once the pod is known");
            assertEquals("configmaps \"" + ID + "-absent\" not found", status.path("message").asText());
            assertFalse(fixture.bus.sent().isEmpty());
        } finally {
            client.pods().inNamespace(NS).withName(POD + "-cm").withGracePeriod(0).delete();
        }
    }

    @Test
    void ruleStatusIsTakenAndNeverAnswered() throws Exception {
        Message rule = fromEdge(NODE, frame("update", NS + "/rulestatus/r1", "{\"ruleID\":\"r1\"}"));
        fixture.startedController().receive(rule);
        Message ping = fromEdge(NODE, frame("query", "default/node/" + NODE, "null"));
        fixture.startedController().receive(ping);
        fixture.answer(ping);
        assertTrue(fixture.bus.sent().stream().noneMatch(s -> rule.id().equals(s.message().parentId())));
    }

    // ---- helpers

    /** A frame as a v1.15 edgecore's MetaManager writes it: a sync request from edged in group meta. */
    private static String frame(String operation, String resource, String contentJson) {
        return "{\"header\":{\"msg_id\":\"" + UUID.randomUUID() + "\",\"parent_msg_id\":\"\",\"timestamp\":"
                + System.currentTimeMillis() + ",\"sync\":true},\"route\":{\"source\":\"edged\",\"group\":\"meta\","
                + "\"operation\":\"" + operation + "\",\"resource\":\"" + resource + "\"},\"content\":" + contentJson
                + "}";
    }

    /** What CloudHub publishes for a frame from {@code node}: its resource prefixed with {@code node/<id>/}. */
    private static Message fromEdge(String node, String frame) {
        Message wire = MessageCodec.decode(frame);
        return wire.withResource(Resource.prefixNode(node, wire.resource()));
    }

    private static Message ask(String node, String frame) throws Exception {
        Message m = fromEdge(node, frame);
        fixture.startedController().receive(m);
        return fixture.answer(m);
    }

    private static JsonNode objectResp(Message answer) {
        assertEquals(Operations.RESPONSE, answer.operation(), String.valueOf(answer.content()));
        JsonNode resp = MessageCodec.contentTree(answer);
        assertTrue(resp.has("Err") && resp.get("Err").isNull(), "Err null: " + resp);
        return resp.get("Object");
    }
}
