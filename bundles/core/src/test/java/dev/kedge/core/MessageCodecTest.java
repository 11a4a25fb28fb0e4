package dev.kedge.core;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The golden files under {@code golden/} are written by hand as Go's {@code json.Marshal} of beehive's
 * {@code model.Message} would write them (compact, no trailing newline): the codec must reproduce them byte for byte.
 */
class MessageCodecTest {

    static byte[] golden(String name) {
        try (InputStream in = MessageCodecTest.class.getResourceAsStream("/golden/" + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("no golden file " + name);
            }
            byte[] b = in.readAllBytes();
            // json.Marshal writes no newline; tolerate one added by an editor
            return b.length > 0 && b[b.length - 1] == '\n' ? Arrays.copyOf(b, b.length - 1) : b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Message decodeGolden(String name) {
        return MessageCodec.decode(golden(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "keepalive", "ack", "pod_insert", "sync_query", "content_null", "bytes", "escaping",
            "twin_string", "all_fields" })
    void goldenRoundTripIsByteIdentical(String name) {
        byte[] wire = golden(name);
        assertEquals(new String(wire, UTF_8), MessageCodec.encodeToString(MessageCodec.decode(wire)));
        assertArrayEquals(wire, MessageCodec.encode(MessageCodec.decode(wire)));
    }

    @Test
    void toStringIsTheRecordsFormWithTreeContentAsItsJson() throws Exception {
        JsonNode tree = dev.kedge.core.json.Json.parse("{\"b\":[1,2.5,\"<x>\"],\"a\":null}");
        Message m = Message.create("edged", "meta", "update", "default/pod/p", tree);
        String expected = "Message[header=" + m.header() + ", route=" + m.route() + ", content=" + tree + "]";
        assertEquals(expected, m.toString());
        Message text = m.withContent("plain");
        assertEquals("Message[header=" + m.header() + ", route=" + m.route() + ", content=plain]", text.toString());
    }

    @Test
    void keepaliveBuiltInJavaEncodesLikeGo() {
        Message m = new Message(new MessageHeader("5d3c9a8e-1f2b-4c6d-8e9f-0a1b2c3d4e5f", "", 1712345678901L, "", false,
                ""), new MessageRoute("websocket", "", "resource", "keepalive", "node"), "ping");
        assertArrayEquals(golden("keepalive"), MessageCodec.encode(m));
    }

    @Test
    void keepaliveDecodes() {
        Message m = decodeGolden("keepalive");
        assertEquals("5d3c9a8e-1f2b-4c6d-8e9f-0a1b2c3d4e5f", m.id());
        assertEquals(1712345678901L, m.header().timestamp());
        assertEquals(new MessageRoute("websocket", "", "resource", Operations.KEEPALIVE, "node"), m.route());
        assertEquals("ping", m.content());
        assertFalse(m.isResponse());
    }

    @Test
    void ackDecodesAsResponseToItsParent() {
        Message m = decodeGolden("ack");
        assertTrue(m.isResponse());
        assertEquals("5f0c6a2e-3b1d-4e8f-9a7c-6d5e4f3a2b1c", m.parentId());
        assertEquals(Operations.RESPONSE, m.operation());
        assertEquals(Operations.OK, m.content());
        assertEquals("", m.header().resourceVersion());
        assertFalse(m.header().sync());
    }

    @Test
    void podInsertContentIsATree() {
        Message m = decodeGolden("pod_insert");
        assertEquals("123456", m.header().resourceVersion());
        assertEquals(Operations.INSERT, m.operation());
        assertEquals("default/pod/nginx", m.resource());
        JsonNode pod = assertInstanceOf(JsonNode.class, m.content());
        assertEquals("nginx", pod.at("/metadata/name").asText());
        assertEquals(30, pod.at("/spec/terminationGracePeriodSeconds").intValue());
        assertTrue(pod.at("/spec/containers/0/resources").isObject());
    }

    @Test
    void syncQueryDecodes() {
        Message m = decodeGolden("sync_query");
        assertTrue(m.header().sync());
        assertEquals(Operations.QUERY, m.operation());
        assertEquals("meta", m.group());
        assertNull(m.content());
    }

    @Test
    void nullContentAndEmptyRouteAreStillWritten() {
        Message m = new Message(new MessageHeader("", "", 0, "", false, ""), new MessageRoute("", "", "", "", ""), null);
        assertArrayEquals(golden("content_null"), MessageCodec.encode(m));
        Message back = decodeGolden("content_null");
        assertNull(back.content());
        assertEquals("null", back.contentAsString());
    }

    @Test
    void missingContentAndRouteDecodeAsEmpty() {
        Message m = MessageCodec.decode("{\"header\":{\"msg_id\":\"x\",\"timestamp\":5}}");
        assertNull(m.content());
        assertEquals(new MessageRoute("", "", "", "", ""), m.route());
    }

    @Test
    void emptyStringContentIsNotOmitted() {
        Message m = MessageCodec.decode(golden("keepalive")).withContent("");
        assertTrue(MessageCodec.encodeToString(m).endsWith(",\"content\":\"\"}"));
    }

    @Test
    void byteContentIsBase64LikeGoByteSlices() {
        byte[] raw = { (byte) 0xFB, (byte) 0xFF, (byte) 0xBF, 'h', 'i' }; // standard alphabet: '+' and '/', padded
        Message m = new Message(new MessageHeader("6e7f8091-a2b3-4c4d-9e5f-60718293a4b5", "", 1712345681000L, "", false,
                ""), new MessageRoute("eventbus", "", "user", "publish", "SYS/dis/upload_records"), raw);
        assertArrayEquals(golden("bytes"), MessageCodec.encode(m));
        // like Go decoding into interface{}, the receiver gets the base64 string back
        Message back = decodeGolden("bytes");
        assertArrayEquals(raw, Base64.getDecoder().decode(assertInstanceOf(String.class, back.content())));
    }

    @Test
    void htmlCharactersAreEscapedLikeGo() {
        String text = "<b>\"a\" & 'b'</b>\n\t\\ /\u00e9 \uD83D\uDE00 \u2028 \u001b";
        Message m = decodeGolden("escaping");
        assertEquals(text, m.content());
        assertEquals("a<b>&c", m.resource());
        Message built = new Message(m.header(), m.route(), text);
        assertArrayEquals(golden("escaping"), MessageCodec.encode(built));
    }

    @Test
    void jsonInAStringStaysAString() {
        Message m = decodeGolden("twin_string");
        String s = assertInstanceOf(String.class, m.content());
        assertTrue(s.startsWith("{\"event_id\":\"e1\""));
        assertEquals("21.5", MessageCodec.contentAs(m, JsonNode.class).at("/twin/temp/actual/value").asText());
    }

    @Test
    void allHeaderAndRouteFields() {
        Message m = decodeGolden("all_fields");
        assertEquals(new MessageHeader("11111111-2222-4333-8444-555555555555", "66666666-7777-4888-9999-aaaaaaaaaaaa",
                1712345684000L, "42", true, "channel"), m.header());
        assertEquals(new MessageRoute("cloudhub", "edgehub", "resource", "update", "node/edge-1/null/node/edge-1"),
                m.route());
        JsonNode content = assertInstanceOf(JsonNode.class, m.content());
        assertTrue(content.isArray());
        assertEquals(7, content.size());
    }

    @Test
    void unknownKeysAreIgnored() {
        Message m = MessageCodec.decode("{\"extra\":{\"a\":[1,{\"b\":null}]},\"header\":{\"msg_id\":\"i\",\"new\":[1],"
                + "\"timestamp\":7},\"route\":{\"source\":\"s\",\"future\":{\"x\":1}},\"content\":\"c\",\"tail\":true}");
        assertEquals("i", m.id());
        assertEquals(7, m.header().timestamp());
        assertEquals("s", m.source());
        assertEquals("c", m.content());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not JSON", "hello", "malformed JSON"),
                Arguments.of("empty", "", "not a JSON object"),
                Arguments.of("array", "[{\"header\":{}}]", "not a JSON object"),
                Arguments.of("timestamp as string", "{\"header\":{\"timestamp\":\"1712345678901\"}}", "timestamp"),
                Arguments.of("timestamp as float", "{\"header\":{\"timestamp\":1.5}}", "timestamp"),
                Arguments.of("sync as string", "{\"header\":{\"sync\":\"true\"}}", "sync"),
                Arguments.of("msg_id as number", "{\"header\":{\"msg_id\":1}}", "msg_id"),
                Arguments.of("route as string", "{\"route\":\"x\"}", "route"),
                Arguments.of("header as number", "{\"header\":42}", "header"),
                Arguments.of("second object", "{\"content\":1}{\"content\":2}", "trailing"),
                Arguments.of("trailing garbage", "{\"content\":1} xyz", "malformed JSON"),
                Arguments.of("truncated", "{\"header\":{\"msg_id\":\"a\"}", "malformed JSON"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedInputIsRefusedWithAReason(String what, String input, String reason) {
        MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> MessageCodec.decode(input));
        assertTrue(e.getMessage().contains(reason), () -> what + ": '" + e.getMessage() + "' lacks '" + reason + "'");
    }

    @Test
    void binaryGarbageIsRefused() {
        byte[][] inputs = { { (byte) 0x89, 'P', 'N', 'G', 0, 0 }, { 0, 0, 0, 0 }, { (byte) 0xFF, (byte) 0xFE, 0, 1 },
                // a string with an invalid UTF-8 sequence
                { '{', '"', 'c', 'o', 'n', 't', 'e', 'n', 't', '"', ':', '"', (byte) 0xC3, '(', '"', '}' } };
        for (byte[] in : inputs) {
            MalformedMessageException e = assertThrows(MalformedMessageException.class, () -> MessageCodec.decode(in));
            assertFalse(e.getMessage().isBlank());
        }
    }
}
