package dev.kedge.edge.meta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ObjectResp;

/** The shapes of the cloud's answers to remote ops. */
class RemoteAnswerTest {
    private static final Message REQUEST = Message.create("edged", "meta", "insert", "default/node/e1", null);

    private static RemoteAnswer answer(String json) throws Exception {
        return of(Message.responseTo(REQUEST, MessageCodec.mapper().readTree(json)));
    }

    private static RemoteAnswer of(Message m) {
        return RemoteAnswer.of(ObjectResp.read(m), m);
    }

    @Test
    void objectRespIsUnwrapped() throws Exception {
        RemoteAnswer a = answer("{\"Object\":{\"metadata\":{\"name\":\"e1\"}},\"Err\":null}");
        assertFalse(a.failed());
        assertEquals("{\"metadata\":{\"name\":\"e1\"}}", a.object());
        RemoteAnswer noErrKey = answer("{\"Object\":{\"metadata\":{\"name\":\"e1\"}}}");
        assertEquals("{\"metadata\":{\"name\":\"e1\"}}", noErrKey.object());
    }

    @Test
    void bareObjectsAndJsonStringsStayAsTheyAre() throws Exception {
        assertEquals("{\"metadata\":{\"name\":\"e1\"}}", answer("{\"metadata\":{\"name\":\"e1\"}}").object());
        String wrapped = "{\"Object\":{\"kind\":\"Lease\"},\"Err\":null}";
        assertEquals("{\"kind\":\"Lease\"}", of(Message.responseTo(REQUEST, wrapped)).object());
        assertEquals("not json", of(Message.responseTo(REQUEST, "not json")).object());
    }

    @Test
    void anErrOfAnyShapeOrAnErrorMessageFails() throws Exception {
        for (String err : new String[] {"{}", "{\"ErrStatus\":{\"code\":409}}", "\"boom\"", "0"}) {
            RemoteAnswer a = answer("{\"Object\":{\"metadata\":{}},\"Err\":" + err + "}");
            assertTrue(a.failed(), err);
            // a StatusError is described by its reason and code, anything else is quoted
            assertTrue(a.failure().contains(err.contains("ErrStatus") ? "(409)" : err), a.failure());
        }
        assertTrue(answer("{\"Object\":null,\"Err\":null}").failed(), "an ObjectResp needs its Object");
        RemoteAnswer error = of(Message.errorTo(REQUEST, "edgecontroller busy"));
        assertEquals("edgecontroller busy", error.failure());
    }
}
