package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Resource;

class UpstreamRouteTest {

    private static UpstreamRoute route(String op, String resource) {
        return UpstreamRoute.of(op, Resource.parseCloud(resource));
    }

    private static String refusal(String op, String resource) {
        Resource r = Resource.parseCloud(resource);
        return UpstreamRoute.refusal(UpstreamRoute.of(op, r), r);
    }

    @Test
    void routesKubeEdgeRequests() {
        assertEquals(UpstreamRoute.NODE_INSERT, route("insert", "node/e1/default/node/e1"));
        assertEquals(UpstreamRoute.NODE_STATUS, route("update", "node/e1/default/nodestatus/e1"));
        assertEquals(UpstreamRoute.LEASE, route("insert", "node/e1/kube-node-lease/lease/e1"));
        assertEquals(UpstreamRoute.LEASE, route("update", "node/e1/kube-node-lease/lease/e1"));
        assertEquals(UpstreamRoute.POD_STATUS, route("update", "node/e1/ns/podstatus/p"));
        assertEquals(UpstreamRoute.POD_DELETE, route("delete", "node/e1/ns/pod/p"));
        assertEquals(UpstreamRoute.QUERY_CONFIGMAP, route("query", "node/e1/ns/configmap/c"));
        assertEquals(UpstreamRoute.QUERY_SECRET, route("query", "node/e1/ns/secret/s"));
        assertEquals(UpstreamRoute.NODE_UPDATE, route("update", "node/e1/default/node/e1"));
        assertEquals(UpstreamRoute.NODE_PATCH, route("patch", "node/e1/default/nodepatch/e1"));
        assertEquals(UpstreamRoute.NODE_PATCH, route("update", "node/e1/default/nodepatch/e1"));
        assertEquals(UpstreamRoute.POD_PATCH, route("patch", "node/e1/ns/podpatch/p"));
        assertEquals(UpstreamRoute.POD_PATCH, route("update", "node/e1/ns/podpatch/p"));
    }

    @Test
    void routesWhatAV115EdgesKubeletAlsoAsks() {
        assertEquals(UpstreamRoute.NODE_QUERY, route("query", "node/e1/default/node/e1"));
        assertEquals(UpstreamRoute.LEASE_QUERY, route("query", "node/e1/kube-node-lease/lease/e1"));
        assertEquals(UpstreamRoute.POD_INSERT, route("insert", "node/e1/kube-system/pod/static-e1"));
        assertEquals(UpstreamRoute.QUERY_SERVICE_ACCOUNT_TOKEN, route("query", "node/e1/ns/serviceaccounttoken/sa"));
        assertEquals(UpstreamRoute.QUERY_PERSISTENT_VOLUME, route("query", "node/e1/default/persistentvolume/v"));
        assertEquals(UpstreamRoute.QUERY_PERSISTENT_VOLUME_CLAIM, route("query",
                "node/e1/ns/persistentvolumeclaim/c"));
        assertEquals(UpstreamRoute.QUERY_VOLUME_ATTACHMENT, route("query", "node/e1/default/volumeattachment/a"));
        assertEquals(UpstreamRoute.RULE_STATUS, route("update", "node/e1/ns/rulestatus/r"));
        // and the shapes KubeEdge answers them in
        assertEquals(UpstreamRoute.Answer.OBJECT, UpstreamRoute.NODE_QUERY.answer);
        assertEquals(UpstreamRoute.Answer.OBJECT_RESP, UpstreamRoute.LEASE_QUERY.answer);
        assertEquals(UpstreamRoute.Answer.OBJECT_RESP, UpstreamRoute.POD_INSERT.answer);
        assertEquals(UpstreamRoute.Answer.OBJECT, UpstreamRoute.QUERY_PERSISTENT_VOLUME.answer);
        assertEquals(UpstreamRoute.Answer.OK, UpstreamRoute.NODE_UPDATE.answer);
        assertEquals(UpstreamRoute.Answer.NONE, UpstreamRoute.RULE_STATUS.answer);
    }

    @Test
    void aNodeReadsOnlyItsOwnNodeAndLease() {
        assertNull(refusal("query", "node/e1/default/node/e1"));
        assertNotNull(refusal("query", "node/e1/default/node/e2"));
        assertNull(refusal("query", "node/e1/kube-node-lease/lease/e1"));
        assertNotNull(refusal("query", "node/e1/kube-node-lease/lease/e2"));
        assertNotNull(refusal("query", "node/e1/default/lease/e1"));
    }

    @Test
    void otherOperationsAreUnsupported() {
        assertEquals(UpstreamRoute.UNSUPPORTED, route("delete", "node/e1/default/node/e1"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route("update", "node/e1/ns/pod/p"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route("delete", "node/e1/ns/configmap/c"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route("insert", "node/e1/default/persistentvolume/v"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route("update", "node/e1/ns/service/s"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route(null, "node/e1/ns/configmap/c"));
    }

    @Test
    void aNodeWritesOnlyItsOwnNodeStatusAndLease() {
        assertNull(refusal("insert", "node/e1/default/node/e1"));
        assertNotNull(refusal("insert", "node/e1/default/node/e2"));
        assertNotNull(refusal("update", "node/e1/default/nodestatus/e2"));
        assertNull(refusal("update", "node/e1/kube-node-lease/lease/e1"));
        assertNotNull(refusal("update", "node/e1/kube-node-lease/lease/e2"));
        assertNotNull(refusal("insert", "node/e1/default/lease/e1"), "leases only in kube-node-lease");
        assertNotNull(refusal("query", "node/e1/null/secret/s"), "no cluster-scoped secrets");
        assertNull(refusal("query", "node/e1/ns/secret/s"));
        assertNotNull(refusal("update", "node/e1/default/node/e2"));
        assertNull(refusal("patch", "node/e1/default/nodepatch/e1"));
        assertNotNull(refusal("patch", "node/e1/default/nodepatch/e2"));
        assertNull(refusal("patch", "node/e1/ns/podpatch/p"), "pods: checked against their binding after the read");
        assertNotNull(refusal("patch", "node/e1/null/podpatch/p"));
    }
}
