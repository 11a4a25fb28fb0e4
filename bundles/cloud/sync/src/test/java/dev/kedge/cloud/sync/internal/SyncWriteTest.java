package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.cloud.sync.internal.SyncWrite.Op;

/** CloudHub's ack records (docs/messages.md) to ObjectSync writes. */
class SyncWriteTest {

    private static ObjectNode object(String apiVersion, String kind, String name, String uid) {
        ObjectNode o = MessageCodec.mapper().createObjectNode();
        if (apiVersion != null) {
            o.put("apiVersion", apiVersion);
            o.put("kind", kind);
        }
        o.putObject("metadata").put("name", name).put("uid", uid).put("resourceVersion", "77");
        return o;
    }

    private static Message ack(String op, String resource, Object content, String rv) {
        return Message.create("cloudhub", "resource", op, resource, content).withResourceVersion(rv);
    }

    @Test
    void insertOfAPodRecordsAnObjectSyncInItsNamespace() {
        SyncWrite w = SyncWrite.fromAck(ack("insert", "node/edge-1/web/pod/nginx",
                object("v1", "Pod", "nginx", "uid-1"), "123"));
        assertEquals(new SyncWrite(Op.RECORD, "web", "edge-1.uid-1", "v1", "Pod", "nginx", "123", 0), w);
        assertEquals(SyncKind.OBJECT_SYNC, w.kind());
    }

    @Test
    void nullNamespaceIsAClusterObjectSync() {
        SyncWrite w = SyncWrite.fromAck(ack("update", "node/edge-1/null/node/edge-1",
                object("v1", "Node", "edge-1", "uid-n"), "9"));
        assertEquals(SyncKind.CLUSTER_OBJECT_SYNC, w.kind());
        assertEquals("", w.namespace());
    }

    @Test
    void missingKindComesFromTheResourceTypeAndMissingVersionFromTheObject() {
        SyncWrite w = SyncWrite.fromAck(ack("update", "node/e/default/configmap/cm", object(null, null, "cm", "u"), ""));
        assertEquals("ConfigMap", w.objectKind());
        assertEquals("v1", w.objectApiVersion());
        assertEquals("77", w.resourceVersion());
    }

    @Test
    void deleteForgetsTheObjectSync() {
        SyncWrite w = SyncWrite.fromAck(ack("delete", "node/e/default/secret/s", object("v1", "Secret", "s", "u"), ""));
        assertEquals(Op.FORGET, w.op());
        assertEquals("e.u", w.name());
    }

    @Test
    void badRecordsAreRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SyncWrite.fromAck(ack("update", "node/e/default/pod/p", "OK", "1")));
        assertTrue(e.getMessage().contains("not an object"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyncWrite.fromAck(
                ack("update", "node/e/default/pod/p", MessageCodec.mapper().createObjectNode(), "1")));
        assertTrue(e.getMessage().contains("metadata.uid"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyncWrite.fromAck(
                ack("update", "node/e/default/pod/p", object("v1", "Pod", "p", "u"), "x1")));
        assertTrue(e.getMessage().contains("not a number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SyncWrite.fromAck(
                ack("query", "node/e/default/pod/p", object("v1", "Pod", "p", "u"), "1")));
        assertTrue(e.getMessage().contains("'query'"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> SyncWrite.fromAck(ack("update", "default/pod/p", object("v1", "Pod", "p", "u"), "1")));
    }
}
