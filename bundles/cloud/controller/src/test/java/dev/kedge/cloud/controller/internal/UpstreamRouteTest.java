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
    void otherOperationsAreUnsupported() {
        assertEquals(UpstreamRoute.UNSUPPORTED, route("delete", "node/e1/default/node/e1"));
        assertEquals(UpstreamRoute.UNSUPPORTED, route("insert", "node/e1/ns/pod/p"));
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
