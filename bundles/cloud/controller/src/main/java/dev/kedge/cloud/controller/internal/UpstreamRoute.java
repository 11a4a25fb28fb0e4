package dev.kedge.cloud.controller.internal;

import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import dev.kedge.core.ResourceTypes;

/**
 * What an edge request asks of the API server, from its operation and resource type: the dispatch of KubeEdge's
 * {@code upstream.go} (v1.15 and later), and the shape KubeEdge answers it in, which its edge decodes.
 */
enum UpstreamRoute {
    NODE_INSERT(Answer.OBJECT_RESP), NODE_UPDATE(Answer.OK), NODE_QUERY(Answer.OBJECT), NODE_STATUS(Answer.OK),
    NODE_PATCH(Answer.OBJECT_RESP), LEASE(Answer.OBJECT_RESP), LEASE_QUERY(Answer.OBJECT_RESP),
    POD_STATUS(Answer.OK), POD_PATCH(Answer.OBJECT_RESP), POD_DELETE(Answer.OK), POD_INSERT(Answer.OBJECT_RESP),
    QUERY_CONFIGMAP(Answer.OBJECT), QUERY_SECRET(Answer.OBJECT), QUERY_SERVICE_ACCOUNT_TOKEN(Answer.OBJECT),
    QUERY_PERSISTENT_VOLUME(Answer.OBJECT), QUERY_PERSISTENT_VOLUME_CLAIM(Answer.OBJECT),
    QUERY_VOLUME_ATTACHMENT(Answer.OBJECT), RULE_STATUS(Answer.NONE), UNSUPPORTED(Answer.OK);

    /**
     * How KubeEdge answers, success and failure: {@code ObjectResp{Object, Err}} (failure: Err is the API's Status as
     * Go writes a StatusError, {@code {"ErrStatus": …}}); the bare object (failure: the bare {@code {"ErrStatus": …}});
     * the string {@code "OK"} (failure: an error message); or nothing.
     */
    enum Answer {
        OBJECT_RESP, OBJECT, OK, NONE
    }

    static final String NODE_LEASE_NAMESPACE = "kube-node-lease";

    final Answer answer;

    UpstreamRoute(Answer answer) {
        this.answer = answer;
    }

    static UpstreamRoute of(String operation, Resource r) {
        String op = operation == null ? "" : operation;
        boolean query = Operations.QUERY.equals(op);
        boolean write = Operations.INSERT.equals(op) || Operations.UPDATE.equals(op);
        return switch (r.type()) {
            case ResourceTypes.NODE -> Operations.INSERT.equals(op) ? NODE_INSERT : Operations.UPDATE.equals(op) ? NODE_UPDATE
                    : query ? NODE_QUERY : UNSUPPORTED;
            case ResourceTypes.NODE_STATUS -> Operations.UPDATE.equals(op) ? NODE_STATUS : UNSUPPORTED;
            // KubeEdge routes patches by type alone (its edge sends op patch or update)
            case ResourceTypes.NODE_PATCH -> NODE_PATCH;
            case ResourceTypes.POD_PATCH -> POD_PATCH;
            case ResourceTypes.LEASE -> write ? LEASE : query ? LEASE_QUERY : UNSUPPORTED;
            case ResourceTypes.POD_STATUS -> Operations.UPDATE.equals(op) ? POD_STATUS : UNSUPPORTED;
            case ResourceTypes.POD -> Operations.DELETE.equals(op) ? POD_DELETE : Operations.INSERT.equals(op) ? POD_INSERT
                    : UNSUPPORTED;
            case ResourceTypes.CONFIGMAP -> query ? QUERY_CONFIGMAP : UNSUPPORTED;
            case ResourceTypes.SECRET -> query ? QUERY_SECRET : UNSUPPORTED;
            case ResourceTypes.SERVICE_ACCOUNT_TOKEN -> query ? QUERY_SERVICE_ACCOUNT_TOKEN : UNSUPPORTED;
            case ResourceTypes.PERSISTENT_VOLUME -> query ? QUERY_PERSISTENT_VOLUME : UNSUPPORTED;
            case ResourceTypes.PERSISTENT_VOLUME_CLAIM -> query ? QUERY_PERSISTENT_VOLUME_CLAIM : UNSUPPORTED;
            case ResourceTypes.VOLUME_ATTACHMENT -> query ? QUERY_VOLUME_ATTACHMENT : UNSUPPORTED;
            case "rulestatus" -> RULE_STATUS;
            default -> UNSUPPORTED;
        };
    }

    /**
     * Why the node may not do this, or null. Node identity is bound to the connection's certificate: a node reads and
     * writes only its own Node, status and Lease. Pods, tokens and volumes are checked against the node's pods after
     * a read.
     */
    static String refusal(UpstreamRoute route, Resource r) {
        return switch (route) {
            case NODE_INSERT, NODE_UPDATE, NODE_QUERY, NODE_STATUS, NODE_PATCH -> r.name().equals(r.nodeId()) ? null
                    : "node " + r.nodeId() + " may not " + (route == NODE_QUERY ? "read" : "write") + " node "
                            + r.name();
            case LEASE, LEASE_QUERY -> !NODE_LEASE_NAMESPACE.equals(r.namespace())
                    ? "leases live in " + NODE_LEASE_NAMESPACE + ", not " + r.namespace()
                    : r.name().equals(r.nodeId()) ? null : "node " + r.nodeId() + " may not "
                            + (route == LEASE_QUERY ? "read" : "write") + " lease " + r.name();
            case POD_STATUS, POD_PATCH, POD_DELETE, POD_INSERT, QUERY_CONFIGMAP, QUERY_SECRET,
                    QUERY_SERVICE_ACCOUNT_TOKEN, QUERY_PERSISTENT_VOLUME_CLAIM -> r.name().isEmpty()
                    || r.namespace().isEmpty() || r.clusterScoped() ? "a namespace and a name are needed" : null;
            // cluster-scoped: KubeEdge's edge names them in namespace "default"
            case QUERY_PERSISTENT_VOLUME, QUERY_VOLUME_ATTACHMENT -> r.name().isEmpty() ? "a name is needed" : null;
            case RULE_STATUS, UNSUPPORTED -> null;
        };
    }
}
