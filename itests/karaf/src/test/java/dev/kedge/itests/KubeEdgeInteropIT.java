package dev.kedge.itests;

import static dev.kedge.itests.EdgeNodeIT.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.testing.FreePorts;

/**
 * Issue #13: a KubeEdge v1.15 edgecore against the Kedge cloud distribution and the real kube-apiserver, played by
 * {@link KubeEdgeEdge} (written from KubeEdge's sources): it joins with v1.15's CSR subject, registers, reads its Node
 * and Lease the way its kubelet does, creates and renews the Lease, patches its status until the Node is Ready in the
 * API, receives a pod, reads the pod's configmap, and reports the pod Running. Its certificate still names only its
 * own node.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class KubeEdgeInteropIT {
    static final String PW = "interop-test-Pw-1";
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final String NODE = "ke115-" + RUN;
    static final String NS = "interop-" + RUN;
    static final ObjectMapper JSON = new ObjectMapper();

    static KedgeProcess cloud;
    static KubeEdgeEdge edge;
    static long joinedMs;

    @BeforeClass
    public static void startCloudAndJoin() throws Exception {
        Path base = Path.of("target", "interop").toAbsolutePath();
        int wsPort = FreePorts.belowEphemeral();
        int httpsPort = FreePorts.belowEphemeral();
        cloud = JoinedPair.unpackCloud(base, PW, wsPort, httpsPort);
        Kubectl.tryRun("create", "namespace", NS);
        cloud.start();
        cloud.awaitConsole("kedge", PW, "cloudhub:nodes", "Node", 120);
        String token = cloud.client("kedge", PW, "cloudhub:token").output().trim();
        long t0 = System.nanoTime();
        edge = KubeEdgeEdge.join(httpsPort, wsPort, token, NODE, base.resolve("edge"));
        joinedMs = (System.nanoTime() - t0) / 1_000_000;
    }

    @AfterClass
    public static void stop() throws Exception {
        try (KedgeProcess c = cloud) {
            if (edge != null) {
                edge.close();
            }
            Kubectl.tryRun("delete", "namespace", NS, "--wait=false");
            Kubectl.tryRun("delete", "node", NODE, "--wait=false");
            Kubectl.tryRun("delete", "lease", "-n", "kube-node-lease", NODE, "--wait=false");
        }
    }

    @Test
    public void t1_theV115CsrGetsACertificateBoundToTheNode() {
        String subject = edge.certificate.getSubjectX500Principal().getName();
        assertTrue(subject, subject.contains("CN=system:node:" + NODE) && subject.contains("O=system:nodes"));
        assertTrue("connected", edge.open());
        System.out.println("INTEROP v1.15 join (ca.crt, CSR CN=kubeedge.io, edge.crt, WebSocket): " + joinedMs + " ms;"
                + " certificate " + subject);
    }

    @Test
    public void t2_registersAndReadsItsNodeAndLeaseAsItsKubeletDoes() throws Exception {
        JsonNode insert = edge.request("insert", "default/node/" + NODE, JSON.readTree(nodeJson()));
        assertEquals(insert.toString(), "response", insert.at("/route/operation").asText());
        assertTrue(insert.toString(), insert.at("/content/Err").isNull());
        assertEquals(NODE, insert.at("/content/Object/metadata/name").asText());

        JsonNode node = edge.request("query", "default/node/" + NODE, null);
        assertEquals(node.toString(), "Node", node.at("/content/kind").asText());
        assertEquals("v1", node.at("/content/apiVersion").asText());

        JsonNode noLease = edge.request("query", "kube-node-lease/lease/" + NODE, null);
        assertEquals(noLease.toString(), "NotFound", noLease.at("/content/Err/ErrStatus/reason").asText());
        JsonNode created = edge.request("insert", "kube-node-lease/lease/" + NODE, JSON.readTree(leaseJson()));
        assertTrue(created.toString(), created.at("/content/Err").isNull());
        JsonNode lease = edge.request("query", "kube-node-lease/lease/" + NODE, null);
        assertEquals(lease.toString(), "Lease", lease.at("/content/Object/kind").asText());
        JsonNode renewed = edge.request("update", "kube-node-lease/lease/" + NODE, JSON.readTree(leaseJson()));
        assertTrue(renewed.toString(), renewed.at("/content/Err").isNull());
        assertEquals(NODE, Kubectl.get("lease", "-n", "kube-node-lease", NODE).at("/spec/holderIdentity").asText());

        // identity: this certificate's node may not read another node's lease or Node
        JsonNode foreign = edge.request("query", "kube-node-lease/lease/not-" + NODE, null);
        assertEquals(foreign.toString(), 403, foreign.at("/content/Err/ErrStatus/code").asInt());
        JsonNode foreignNode = edge.request("query", "default/node/not-" + NODE, null);
        assertEquals(foreignNode.toString(), 403, foreignNode.at("/content/ErrStatus/code").asInt());
    }

    @Test
    public void t3_itsStatusPatchMakesTheNodeReady() throws Exception {
        String patch = "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":"
                + "\"EdgeReady\",\"message\":\"edge is posting ready status\",\"lastHeartbeatTime\":\"" + now()
                + "\",\"lastTransitionTime\":\"" + now() + "\"}]}}";
        // kubelet's PatchNodeStatus through MetaManager: base64url of the strategic-merge patch, as a JSON string
        String body = Base64.getUrlEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8));
        JsonNode answer = edge.request("patch", "default/nodepatch/" + NODE, JSON.getNodeFactory().textNode(body));
        assertTrue(answer.toString(), answer.at("/content/Err").isNull());
        await("node Ready in the API", 30, () -> "True".equals(Kubectl.condition(Kubectl.get("node", NODE), "Ready"))
                ? 1 : null);
    }

    @Test
    public void t4_aPodReachesItAndItsStatusReachesTheApi() throws Exception {
        Kubectl.apply("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: " + NS + "}\n"
                + "data: {greeting: hello}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: " + NS
                + "}\nspec:\n  nodeName: " + NODE + "\n  automountServiceAccountToken: false\n  containers:\n"
                + "  - {name: web, image: nginx, volumeMounts: [{name: cfg, mountPath: /etc/web}]}\n"
                + "  volumes: [{name: cfg, configMap: {name: web-config}}]\n");
        long t0 = System.nanoTime();
        JsonNode pod = edge.awaitReceived(f -> ("insert".equals(f.at("/route/operation").asText())
                || "update".equals(f.at("/route/operation").asText()))
                && (NS + "/pod/web").equals(f.at("/route/resource").asText()), 60);
        long podMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("web", pod.at("/content/metadata/name").asText());
        String uid = pod.at("/content/metadata/uid").asText();

        // its kubelet reads the configmap through MetaManager: the object itself
        JsonNode cm = edge.request("query", NS + "/configmap/web-config", null);
        assertEquals(cm.toString(), "ConfigMap", cm.at("/content/kind").asText());
        assertEquals("hello", cm.at("/content/data/greeting").asText());

        String status = "{\"UID\":\"" + uid + "\",\"Name\":\"web\",\"Status\":{\"phase\":\"Running\",\"conditions\":"
                + "[{\"type\":\"Ready\",\"status\":\"True\",\"lastProbeTime\":null,\"lastTransitionTime\":\"" + now()
                + "\"}],\"hostIP\":\"127.0.0.1\",\"podIP\":\"10.88.0.7\",\"startTime\":\"" + now() + "\","
                + "\"containerStatuses\":[{\"name\":\"web\",\"state\":{\"running\":{\"startedAt\":\"" + now()
                + "\"}},\"lastState\":{},\"ready\":true,\"restartCount\":0,\"image\":\"nginx\",\"imageID\":\"\","
                + "\"containerID\":\"containerd://abc\",\"started\":true}]}}";
        JsonNode answer = edge.request("update", NS + "/podstatus/web", JSON.readTree(status));
        assertEquals(answer.toString(), "OK", answer.at("/content").asText());
        await("pod Running in the API", 30, () -> "Running".equals(Kubectl.get("pod", "-n", NS, "web")
                .at("/status/phase").asText()) ? 1 : null);
        System.out.println("INTEROP pod created in the API → pod insert at the v1.15 edge: " + podMs + " ms");
    }

    @Test
    public void t5_theLinkStaysUp() throws Exception {
        Thread.sleep(6_000); // past a keepalive: the cloud keeps a v1.15 edge's link
        assertTrue("still connected", edge.open());
        String nodes = cloud.client("kedge", PW, "cloudhub:nodes").output();
        assertTrue(nodes, nodes.contains(NODE));
    }

    private static String now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** What a v1.15 edge's kubelet registers (Go's JSON of v1.Node, trimmed of empty fields it omits too). */
    private static String nodeJson() {
        return "{\"metadata\":{\"name\":\"" + NODE + "\",\"creationTimestamp\":null,\"labels\":{"
                + "\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/hostname\":\"" + NODE + "\","
                + "\"kubernetes.io/os\":\"linux\",\"node-role.kubernetes.io/agent\":\"\","
                + "\"node-role.kubernetes.io/edge\":\"\"}},\"spec\":{},\"status\":{\"capacity\":{\"cpu\":\"2\","
                + "\"memory\":\"3927288Ki\",\"pods\":\"110\"},\"allocatable\":{\"cpu\":\"2\",\"memory\":\"3824888Ki\","
                + "\"pods\":\"110\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"lastHeartbeatTime\":\""
                + now() + "\",\"lastTransitionTime\":\"" + now() + "\",\"reason\":\"KubeletNotReady\",\"message\":"
                + "\"starting\"}],\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"},{\"type\":"
                + "\"Hostname\",\"address\":\"" + NODE + "\"}],\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
                + "10350}},\"nodeInfo\":{\"machineID\":\"\",\"systemUUID\":\"\",\"bootID\":\"\",\"kernelVersion\":"
                + "\"6.1.0\",\"osImage\":\"Debian GNU/Linux 12\",\"containerRuntimeVersion\":\"containerd://1.6.20\","
                + "\"kubeletVersion\":\"v1.26.10-kubeedge-v1.15.4\",\"kubeProxyVersion\":\"v0.0.0-master+$Format:%H$\","
                + "\"operatingSystem\":\"linux\",\"architecture\":\"amd64\"}}}";
    }

    /** kubelet's node-lease controller's Lease (no TypeMeta, as Go writes it). */
    private static String leaseJson() {
        return "{\"metadata\":{\"name\":\"" + NODE + "\",\"namespace\":\"kube-node-lease\",\"creationTimestamp\":null},"
                + "\"spec\":{\"holderIdentity\":\"" + NODE + "\",\"leaseDurationSeconds\":40,\"renewTime\":\""
                + Instant.now().toString().replaceAll("\\.\\d+Z$", ".000000Z").replaceAll(":(\\d\\d)Z$", ":$1.000000Z")
                + "\"}}";
    }
}
