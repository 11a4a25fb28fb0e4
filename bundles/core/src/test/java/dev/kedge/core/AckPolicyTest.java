package dev.kedge.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;


/** KubeEdge's noAckRequired rules. */
class AckPolicyTest {

    private static Message m(String group, String op, String resource, Object content) {
        return Message.create("edgecontroller", group, op, resource, content);
    }

    @Test
    void objectsNeedAcks() {
        assertTrue(AckPolicy.needsAck(m("resource", Operations.INSERT, "node/n1/default/pod/p", null)));
        assertTrue(AckPolicy.needsAck(m("resource", Operations.DELETE, "node/n1/default/configmap/c", null)));
        assertTrue(AckPolicy.needsAck(m("resource", Operations.UPDATE, "node/n1/null/node/n1", null)));
        assertTrue(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "node/n1/default/configmap/c", "{}")));
    }

    @Test
    void fireAndForgetCases() {
        assertFalse(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "node/n1/default/pod/p", Operations.OK)));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.UPDATE, "node/n1/default/podstatus/p", null)));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.UPDATE, "node/n1/kube-node-lease/lease/n1", null)));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.INSERT, "node/n1/default/node/n1", null)));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.QUERY, "node/n1/default/podlist/x", null)));
        assertFalse(AckPolicy.needsAck(m("twin", Operations.UPDATE, "node/n1/membership", null)));
        assertFalse(AckPolicy.needsAck(m("user", Operations.UPDATE, "node/n1/a/b", null)));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.ERROR, "node/n1/default/pod/p", "boom")));
        // answers EdgeController gives to registrations and lease renewals: the edge retries those itself
        assertFalse(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "node/n1/default/node/n1", "{\"kind\":\"Node\"}")));
        assertFalse(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "node/n1/kube-node-lease/lease/n1", "{}")));
        // the same rules on the wire form the edge sees
        assertFalse(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "kube-node-lease/lease/n1", "{}")));
        assertTrue(AckPolicy.needsAck(m("resource", Operations.RESPONSE, "default/configmap/c", "{}")));
    }
}
