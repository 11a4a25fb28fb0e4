package dev.kedge.edge.edged.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.json.Json;

/**
 * The Kubernetes objects Edged sends, as Jackson trees in the field order Go writes them: v1.Node, v1.NodeStatus
 * and coordination.k8s.io/v1 Lease. No fabric8 on the edge.
 */
final class NodeObjects {
    static final String LABEL_EDGE = "node-role.kubernetes.io/edge";
    static final String LABEL_AGENT = "node-role.kubernetes.io/agent";
    static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
    static final String LABEL_OS = "kubernetes.io/os";
    static final String LABEL_ARCH = "kubernetes.io/arch";
    /** KubeEdge edged's read-only port, where kubectl logs/exec would go through the stream tunnel. */
    static final int KUBELET_PORT = 10350;
    static final String HEARTBEAT = "lastHeartbeatTime";

    /** Go's metav1.Time (RFC 3339, seconds). */
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Go's metav1.MicroTime, which a Lease's renewTime is. */
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private NodeObjects() {
    }

    static String rfc3339(Instant t) {
        return SECONDS.format(t.truncatedTo(ChronoUnit.SECONDS));
    }

    static String micro(Instant t) {
        return MICROS.format(t);
    }

    /** The Node to register: KubeEdge's edge and agent roles, the well-known labels, the configured ones. */
    static ObjectNode node(String name, EdgedSettings s, Machine m, ObjectNode status) {
        ObjectNode node = Json.object();
        node.put("kind", "Node");
        node.put("apiVersion", "v1");
        ObjectNode meta = node.putObject("metadata");
        meta.put("name", name);
        ObjectNode labels = meta.putObject("labels");
        labels.put(LABEL_EDGE, "");
        labels.put(LABEL_AGENT, "");
        labels.put(LABEL_HOSTNAME, name);
        labels.put(LABEL_OS, "linux");
        labels.put(LABEL_ARCH, m.architecture());
        for (Map.Entry<String, String> l : s.nodeLabels().entrySet()) {
            labels.put(l.getKey(), l.getValue());
        }
        node.putObject("spec");
        node.set("status", status);
        return node;
    }

    /** v1.NodeStatus for {@code m} at {@code now}; {@code conditions} keeps the transition times. */
    static ObjectNode status(String name, EdgedSettings s, Machine m, RuntimeHealth runtime, Conditions conditions,
            Instant now) {
        ObjectNode st = Json.object();
        EdgedSettings.Reserved r = s.reserved();
        long cpu = m.cpus() * 1000L;
        ObjectNode cap = st.putObject("capacity");
        cap.put("cpu", Quantities.cpu(cpu));
        cap.put("ephemeral-storage", Quantities.bytes(m.storageTotal()));
        cap.put("memory", Quantities.bytes(m.memoryTotal()));
        cap.put("pods", Long.toString(s.maxPods()));
        ObjectNode alloc = st.putObject("allocatable");
        alloc.put("cpu", Quantities.cpu(Math.max(0, cpu - r.cpuMillis())));
        alloc.put("ephemeral-storage", Quantities.bytes(Math.max(0, m.storageTotal() - r.storageBytes())));
        alloc.put("memory", Quantities.bytes(Math.max(0, m.memoryTotal() - r.memoryBytes())));
        alloc.put("pods", Long.toString(Math.max(0, s.maxPods() - r.pods())));

        ArrayNode conds = st.putArray("conditions");
        // kubelet's order, which kubectl shows: the pressures, then Ready
        boolean memory = m.memoryTotal() > 0 && m.memoryAvailable() < s.memoryPressureBytes();
        condition(conds, conditions, now, "MemoryPressure", memory, memory ? "KubeletHasInsufficientMemory"
                : "KubeletHasSufficientMemory", memory ? "kubelet has insufficient memory available"
                        : "kubelet has sufficient memory available");
        boolean disk = m.storageTotal() > 0 && m.storageFree() * 100 < m.storageTotal() * s.diskPressurePercent();
        condition(conds, conditions, now, "DiskPressure", disk, disk ? "KubeletHasDiskPressure"
                : "KubeletHasNoDiskPressure", disk ? "kubelet has disk pressure" : "kubelet has no disk pressure");
        boolean pid = m.pidMax() > 0 && (m.pidMax() - m.processes()) * 100 < m.pidMax() * s.pidPressurePercent();
        condition(conds, conditions, now, "PIDPressure", pid, pid ? "KubeletHasInsufficientPID"
                : "KubeletHasSufficientPID", pid ? "kubelet has insufficient PID available"
                        : "kubelet has sufficient PID available");
        if (runtime.ready()) {
            condition(conds, conditions, now, "Ready", true, "EdgeReady", "edge is posting ready status");
        } else {
            condition(conds, conditions, now, "Ready", false, "KubeletNotReady", runtime.message());
        }

        ArrayNode addresses = st.putArray("addresses");
        addresses.addObject().put("type", "InternalIP").put("address", m.hostIP());
        addresses.addObject().put("type", "Hostname").put("address", name);
        st.putObject("daemonEndpoints").putObject("kubeletEndpoint").put("Port", KUBELET_PORT);
        ObjectNode info = st.putObject("nodeInfo");
        info.put("machineID", m.machineID());
        info.put("systemUUID", m.systemUUID());
        info.put("bootID", m.bootID());
        info.put("kernelVersion", m.kernelVersion());
        info.put("osImage", m.osImage());
        info.put("containerRuntimeVersion", runtime.version());
        info.put("kubeletVersion", s.kubeletVersion());
        info.put("kubeProxyVersion", "");
        info.put("operatingSystem", "linux");
        info.put("architecture", m.architecture());
        return st;
    }

    /** The status without heartbeat times: what "changed" means for the node status. */
    static JsonNode withoutHeartbeats(ObjectNode status) {
        ObjectNode copy = status.deepCopy();
        for (JsonNode c : copy.path("conditions")) {
            ((ObjectNode) c).remove(HEARTBEAT);
        }
        return copy;
    }

    /** KubeEdge's NodeStatusRequest: capitalised keys, as Go writes its untagged struct. */
    static ObjectNode statusRequest(String uid, ObjectNode status) {
        ObjectNode req = Json.object();
        req.put("UID", uid);
        req.set("Status", status);
        req.putNull("ExtendResources");
        return req;
    }

    /** The node's Lease in kube-node-lease, owned by the Node once its UID is known. */
    static ObjectNode lease(String node, String uid, String resourceVersion, int durationSeconds, Instant now) {
        ObjectNode lease = Json.object();
        lease.put("kind", "Lease");
        lease.put("apiVersion", "coordination.k8s.io/v1");
        ObjectNode meta = lease.putObject("metadata");
        meta.put("name", node);
        meta.put("namespace", "kube-node-lease");
        if (!resourceVersion.isEmpty()) {
            meta.put("resourceVersion", resourceVersion);
        }
        if (!uid.isEmpty()) {
            meta.putArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "Node")
                    .put("name", node).put("uid", uid);
        }
        ObjectNode spec = lease.putObject("spec");
        spec.put("holderIdentity", node);
        spec.put("leaseDurationSeconds", durationSeconds);
        spec.put("renewTime", micro(now));
        return lease;
    }

    private static void condition(ArrayNode out, Conditions conditions, Instant now, String type, boolean status,
            String reason, String message) {
        String value = status ? "True" : "False";
        out.addObject().put("type", type).put("status", value).put(HEARTBEAT, rfc3339(now))
                .put("lastTransitionTime", rfc3339(conditions.transition(type, value, now)))
                .put("reason", reason).put("message", message);
    }
}
