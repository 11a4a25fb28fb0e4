package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;

/** KubeEdge's noAckRequired rules. */
class DeliveryClassTest {

    private static Message m(String group, String op, String resource, Object content) {
        return Message.create("edgecontroller", group, op, resource, content);
    }

    @Test
    void objectsNeedAcks() {
        assertTrue(DeliveryClass.needsAck(m("resource", Operations.INSERT, "node/n1/default/pod/p", null)));
        assertTrue(DeliveryClass.needsAck(m("resource", Operations.DELETE, "node/n1/default/configmap/c", null)));
        assertTrue(DeliveryClass.needsAck(m("resource", Operations.UPDATE, "node/n1/null/node/n1", null)));
        assertTrue(DeliveryClass.needsAck(m("resource", Operations.RESPONSE, "node/n1/default/configmap/c", "{}")));
    }

    @Test
    void fireAndForgetCases() {
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.RESPONSE, "node/n1/default/pod/p", Operations.OK)));
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.UPDATE, "node/n1/default/podstatus/p", null)));
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.UPDATE, "node/n1/kube-node-lease/lease/n1", null)));
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.INSERT, "node/n1/default/node/n1", null)));
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.QUERY, "node/n1/default/podlist/x", null)));
        assertFalse(DeliveryClass.needsAck(m("twin", Operations.UPDATE, "node/n1/membership", null)));
        assertFalse(DeliveryClass.needsAck(m("user", Operations.UPDATE, "node/n1/a/b", null)));
        assertFalse(DeliveryClass.needsAck(m("resource", Operations.ERROR, "node/n1/default/pod/p", "boom")));
    }
}
