package dev.kedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;


/** The shapes a registration, lease or patch answer comes in. */
class ObjectRespTest {
    private static final Message REQUEST = Message.create("edged", "meta", "insert", "default/node/e1", null);

    private static ObjectResp answer(String json) throws Exception {
        return ObjectResp.read(Message.responseTo(REQUEST, MessageCodec.mapper().readTree(json)));
    }

    @Test
    void unwrapsKubeEdgesObjectResp() throws Exception {
        ObjectResp a = answer("{\"Object\":{\"metadata\":{\"uid\":\"u1\",\"resourceVersion\":\"7\"}},\"Err\":null}");
        assertFalse(a.failed());
        assertEquals("u1", a.field("/metadata/uid"));
        assertEquals("7", a.field("/metadata/resourceVersion"));
    }

    @Test
    void readsABareObjectAndAJsonStringHoldingOne() throws Exception {
        assertEquals("u2", answer("{\"metadata\":{\"uid\":\"u2\"}}").field("/metadata/uid"));
        ObjectResp fromString = ObjectResp.read(Message.responseTo(REQUEST,
                "{\"Object\":{\"metadata\":{\"uid\":\"u3\"}},\"Err\":null}"));
        assertEquals("u3", fromString.field("/metadata/uid"));
    }

    @Test
    void anyNonNullErrOrAnErrorMessageIsAFailure() throws Exception {
        for (String err : new String[] {"{}", "{\"ErrStatus\":{\"message\":\"forbidden\"}}", "\"text\"", "false"}) {
            ObjectResp a = answer("{\"Object\":{\"metadata\":{\"uid\":\"u1\"}},\"Err\":" + err + "}");
            assertTrue(a.failed(), err);
            assertTrue(a.failure().contains(err.contains("ErrStatus") ? "forbidden" : err), a.failure());
            assertEquals("", a.field("/metadata/uid"), "no object from a failed answer");
        }
        ObjectResp error = ObjectResp.read(Message.errorTo(REQUEST, "not connected"));
        assertTrue(error.failed());
        assertEquals("not connected", error.failure());
    }

    @Test
    void aBareStatusErrorIsAFailureWithItsReasonAndMessage() throws Exception {
        // a KubeEdge cloud's answer to a query for a configmap that does not exist (Go's JSON of a StatusError)
        ObjectResp a = answer("{\"ErrStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":"
                + "\"configmaps \\\"c1\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"c1\","
                + "\"kind\":\"configmaps\"},\"code\":404}}");
        assertTrue(a.failed());
        assertEquals("the cloud answered NotFound (404): configmaps \"c1\" not found", a.failure());
        ObjectResp wrapped = answer("{\"Object\":null,\"Err\":{\"ErrStatus\":{\"reason\":\"NotFound\","
                + "\"message\":\"leases.coordination.k8s.io \\\"e1\\\" not found\",\"code\":404}}}");
        assertTrue(wrapped.failed());
        assertTrue(wrapped.failure().contains("NotFound (404)"), wrapped.failure());
    }

    @Test
    void writesWhatGoWritesForASuccess() {
        ObjectResp read = ObjectResp.read(Message.responseTo(REQUEST, ObjectResp.of(
                MessageCodec.mapper().createObjectNode().put("kind", "Lease"))));
        assertTrue(read.wrapped());
        assertEquals("Lease", read.field("/kind"));
        assertEquals("{\"Object\":{\"kind\":\"Lease\"},\"Err\":null}",
                ObjectResp.of(MessageCodec.mapper().createObjectNode().put("kind", "Lease")).toString());
    }

    @Test
    void aContentThatIsNoObjectGivesEmptyFields() {
        ObjectResp a = ObjectResp.read(Message.responseTo(REQUEST, "OK"));
        assertFalse(a.failed());
        assertEquals("", a.field("/metadata/uid"));
    }
}
