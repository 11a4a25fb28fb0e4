package dev.kedge.cloud.controller.internal;

import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

/** What an edge request asks of the API server, from its operation and resource type (KubeEdge's upstream.go). */
enum UpstreamRoute {
    NODE_INSERT, NODE_UPDATE, NODE_STATUS, NODE_PATCH, LEASE, POD_STATUS, POD_PATCH, POD_DELETE, QUERY_CONFIGMAP,
    QUERY_SECRET, UNSUPPORTED;

    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    static UpstreamRoute of(String operation, Resource r) {
        String op = operation == null ? "" : operation;
        return switch (r.type()) {
            case "node" -> Operations.INSERT.equals(op) ? NODE_INSERT
                    : Operations.UPDATE.equals(op) ? NODE_UPDATE : UNSUPPORTED;
            case "nodestatus" -> Operations.UPDATE.equals(op) ? NODE_STATUS : UNSUPPORTED;
            // KubeEdge routes patches by type alone (its edge sends op patch or update)
            case "nodepatch" -> NODE_PATCH;
            case "podpatch" -> POD_PATCH;
            case "lease" -> (Operations.INSERT.equals(op) || Operations.UPDATE.equals(op)) ? LEASE : UNSUPPORTED;
            case "podstatus" -> Operations.UPDATE.equals(op) ? POD_STATUS : UNSUPPORTED;
            case "pod" -> Operations.DELETE.equals(op) ? POD_DELETE : UNSUPPORTED;
            case "configmap" -> Operations.QUERY.equals(op) ? QUERY_CONFIGMAP : UNSUPPORTED;
            case "secret" -> Operations.QUERY.equals(op) ? QUERY_SECRET : UNSUPPORTED;
            default -> UNSUPPORTED;
        };
    }

    /**
     * Why the node may not do this, or null. Node identity is bound to the connection's certificate: a node writes
     * only its own Node, status and Lease. Pods are checked against their binding after the read.
     */
    static String refusal(UpstreamRoute route, Resource r) {
        return switch (route) {
            case NODE_INSERT, NODE_UPDATE, NODE_STATUS, NODE_PATCH -> r.name().equals(r.nodeId()) ? null
                    : "node " + r.nodeId() + " may not write node " + r.name();
            case LEASE -> !NODE_LEASE_NAMESPACE.equals(r.namespace())
                    ? "leases live in " + NODE_LEASE_NAMESPACE + ", not " + r.namespace()
                    : r.name().equals(r.nodeId()) ? null : "node " + r.nodeId() + " may not write lease " + r.name();
            case POD_STATUS, POD_PATCH, POD_DELETE, QUERY_CONFIGMAP, QUERY_SECRET -> r.name().isEmpty()
                    || r.namespace().isEmpty() || r.clusterScoped() ? "a namespace and a name are needed" : null;
            case UNSUPPORTED -> null;
        };
    }
}
