package dev.kedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Resource strings as KubeEdge builds them (reference §2.2). */
class ResourceTest {

    @Test
    void parsesNamespacedCloudResource() {
        Resource r = Resource.parseCloud("node/edge-1/default/pod/nginx");
        assertEquals(new Resource("edge-1", "default", "pod", "nginx"), r);
        assertFalse(r.clusterScoped());
        assertEquals("node/edge-1/default/pod/nginx", r.toCloud());
        assertEquals("default/pod/nginx", r.toEdge());
    }

    @Test
    void clusterScopedObjectsUseTheNullNamespace() {
        Resource r = Resource.parseCloud("node/edge-1/null/node/edge-1");
        assertEquals(new Resource("edge-1", "null", "node", "edge-1"), r);
        assertTrue(r.clusterScoped());
        assertEquals("null/node/edge-1", r.toEdge());
        // an empty namespace is written as the placeholder, as downstream.go does
        assertEquals("node/edge-1/null/node/edge-1", Resource.cloud("edge-1", "", "node", "edge-1"));
        assertEquals("node/edge-1/null/node/edge-1", Resource.cloud("edge-1", null, "node", "edge-1"));
    }

    @Test
    void nameMayBeMissingOrContainSlashes() {
        Resource list = Resource.parseCloud("node/edge-1/default/podlist");
        assertEquals("", list.name());
        assertEquals("node/edge-1/default/podlist", list.toCloud());
        assertEquals("default/podlist", list.toEdge());
        assertEquals("membership", Resource.parseCloud("node/edge-1/membership").namespace());
        assertEquals("a/b", Resource.parseCloud("node/edge-1/default/pod/a/b").name());
        assertEquals("a/b", Resource.parseEdge("edge-1", "default/pod/a/b").name());
    }

    @Test
    void parsesEdgeResourceForTheGivenNode() {
        Resource r = Resource.parseEdge("edge-1", "default/nodestatus/edge-1");
        assertEquals(new Resource("edge-1", "default", "nodestatus", "edge-1"), r);
        assertEquals("node/edge-1/default/nodestatus/edge-1", r.toCloud());
        assertEquals("", Resource.parseEdge("edge-1", "default/podlist").name());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "node", "node/edge-1", "node//default/pod/x", "default/pod/nginx", "nodes/e/default/pod/x" })
    void invalidCloudResourcesAreRejected(String s) {
        assertThrows(IllegalArgumentException.class, () -> Resource.parseCloud(s));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "default", "/pod/x", "default//x" })
    void invalidEdgeResourcesAreRejected(String s) {
        assertThrows(IllegalArgumentException.class, () -> Resource.parseEdge("edge-1", s));
    }

    @Test
    void trimNodeDropsTheNodePrefixOnly() {
        assertEquals("default/pod/nginx", Resource.trimNode("node/edge-1/default/pod/nginx"));
        assertEquals("null/node/edge-1", Resource.trimNode("node/edge-1/null/node/edge-1"));
        assertEquals("membership/detail", Resource.trimNode("node/edge-1/membership/detail"));
        assertEquals("", Resource.trimNode("node/edge-1/"));
        String other = "default/pod/nginx";
        assertSame(other, Resource.trimNode(other));
        assertEquals("nodestatus/a/b", Resource.trimNode("nodestatus/a/b"));
        assertEquals(null, Resource.trimNode(null));
    }

    @Test
    void trimNodeLeavesTooShortNodeResourcesAlone() {
        // KubeEdge's TrimMessage keeps resources with fewer than 3 tokens unchanged, and so does the javadoc
        assertEquals("node/edge-1", Resource.trimNode("node/edge-1"));
    }

    @Test
    void prefixNodeIsTheInverseOfTrim() {
        String wire = "default/podstatus/nginx";
        String cloud = Resource.prefixNode("edge-1", wire);
        assertEquals("node/edge-1/default/podstatus/nginx", cloud);
        assertEquals(wire, Resource.trimNode(cloud));
    }
}
