package dev.kedge.itests.load;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.MessageCodec;

/**
 * The objects a Kedge edge sends upstream, shaped as KubeEdge's edged (a kubelet) writes them: the v1.Node it
 * registers with, the {@code NodeStatusRequest} of a status report and the v1 Lease of its heartbeat.
 */
final class EdgeObjects {
    static final String EDGE_LABEL = "node-role.kubernetes.io/edge";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    private static final DateTimeFormatter MICRO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EdgeObjects() {
    }

    /** v1.Node as edged registers it: the edge labels, capacity, a Ready condition, its address. */
    static ObjectNode node(String name, String address) {
        ObjectNode n = MessageCodec.mapper().createObjectNode();
        n.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode labels = n.putObject("metadata").put("name", name).putObject("labels");
        labels.put(EDGE_LABEL, "").put("node-role.kubernetes.io/agent", "").put("kubernetes.io/hostname", name)
                .put("kubernetes.io/os", "linux").put("kubernetes.io/arch", "amd64");
        n.putObject("spec");
        n.set("status", status(address));
        return n;
    }

    /** v1.NodeStatus: 2 CPUs, 4 GiB, 110 pods; heartbeat times are now. */
    static ObjectNode status(String address) {
        String now = seconds(Instant.now());
        ObjectNode s = MessageCodec.mapper().createObjectNode();
        ObjectNode capacity = s.putObject("capacity").put("cpu", "2").put("memory", "4030712Ki").put("pods", "110");
        s.set("allocatable", capacity.deepCopy().put("memory", "3928312Ki"));
        s.putArray("conditions").addObject().put("type", "Ready").put("status", "True").put("reason", "EdgeReady")
                .put("message", "edge is posting ready status").put("lastHeartbeatTime", now)
                .put("lastTransitionTime", now);
        s.putArray("addresses").addObject().put("type", "InternalIP").put("address", address);
        s.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", 10350);
        s.putObject("nodeInfo").put("machineID", "").put("systemUUID", "").put("bootID", "")
                .put("kernelVersion", "6.1.0").put("osImage", "Debian GNU/Linux 12").put("containerRuntimeVersion",
                        "containerd://1.6.20").put("kubeletVersion", "v1.29.5-kubeedge-v1.17.0")
                .put("kubeProxyVersion", "").put("operatingSystem", "linux").put("architecture", "amd64");
        return s;
    }

    /** The content of {@code update default/nodestatus/<node>} (KubeEdge's capitalised {@code NodeStatusRequest}). */
    static ObjectNode statusRequest(String uid, String address) {
        ObjectNode r = MessageCodec.mapper().createObjectNode();
        r.put("UID", uid);
        r.set("Status", status(address));
        r.putNull("ExtendResources");
        return r;
    }

    /**
     * The Lease the edge renews, as Kedge's edged writes it: name, namespace, the resourceVersion of the cloud's last
     * answer (none at first), owned by the Node; renewTime now (MicroTime).
     */
    static ObjectNode lease(String node, String nodeUid, String resourceVersion) {
        ObjectNode l = MessageCodec.mapper().createObjectNode();
        l.put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        ObjectNode meta = l.putObject("metadata").put("name", node).put("namespace", LEASE_NAMESPACE);
        if (!resourceVersion.isEmpty()) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (!nodeUid.isEmpty()) {
            meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                    .put("name", node).put("uid", nodeUid);
        }
        l.putObject("spec").put("holderIdentity", node).put("leaseDurationSeconds", 40)
                .put("renewTime", MICRO_TIME.format(Instant.now()));
        return l;
    }

    private static String seconds(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
