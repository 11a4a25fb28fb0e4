package dev.kedge.core.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** ObjectMapper, with default settings, is the oracle: Json must read and write exactly as it does. */
class JsonTest {
    private static final ObjectMapper ORACLE = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "null", "true", "false", "0", "-0", "-0.0", "0.0", "1e3", "1E-7", "-2.5e+300", "123.456", "1.0e400",
        "3.141592653589793", "1e-320", "0.1", "100000000000000000000.0",
        "2147483647", "2147483648", "-2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "123456789012345678901234567890", "\"\"", "\"plain\"",
        "\"esc \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000 \\u001f \\u007f\"", "\"<>&'\\u2028\\u2029\"",
        "\"ünïcödé 中文 \\ud83d\\ude00 😀\"", "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{\"e\":{}}}",
        "{\"z\":1,\"a\":2,\"m\":3}", "{\"k\":1,\"k\":2}", "{\"k\":1,\"x\":0,\"k\":{\"n\":[]}}",
        "[[],[[]],{},[{}],[1.5,-1,\"x\",true,false,null]]", "{\"\":\"empty key\",\"\\u00e9\":\"é\"}",
        " \n\t{ \"spaced\" : [ 1 , 2 ] } \n", "{\"metadata\":{\"name\":\"n\",\"labels\":{\"a/b\":\"c\"}},"
                + "\"spec\":{\"containers\":[{\"image\":\"busybox:1.36\",\"args\":[\"sh\",\"-c\",\"echo hi\"]}]}}"
    })
    void readsAndWritesAsObjectMapper(String json) throws IOException {
        JsonNode expected = ORACLE.readTree(json);
        JsonNode actual = Json.parse(json);
        assertSameTree(expected, actual);
        assertSameTree(expected, Json.parse(json.getBytes(UTF_8)));
        assertSameTree(expected, Json.parse(new ByteArrayInputStream(json.getBytes(UTF_8))));
        assertEquals(ORACLE.writeValueAsString(expected), Json.write(actual));
        assertArrayEquals(ORACLE.writeValueAsBytes(expected), Json.writeBytes(actual));
        assertEquals(ORACLE.writerWithDefaultPrettyPrinter().writeValueAsString(expected), Json.writePretty(actual));
        assertEquals(expected.toString(), Json.write(actual));
        assertEquals(expected.toPrettyString(), Json.writePretty(actual));
    }

    @Test
    void deepNesting() throws IOException {
        String json = "[".repeat(400) + "{\"a\":" + "[".repeat(90) + "1" + "]".repeat(90) + "}" + "]".repeat(400);
        JsonNode expected = ORACLE.readTree(json);
        assertSameTree(expected, Json.parse(json));
        assertEquals(json, Json.write(Json.parse(json)));
    }

    @Test
    void tooDeepIsRefusedLikeObjectMapper() {
        String json = "[".repeat(5000) + "]".repeat(5000);
        assertThrows(JsonProcessingException.class, () -> ORACLE.readTree(json));
        assertThrows(JsonProcessingException.class, () -> Json.parse(json));
    }

    @Test
    void numberNodesAreReadTreesTypes() throws IOException {
        assertInstanceOf(IntNode.class, Json.parse("2147483647"));
        assertInstanceOf(LongNode.class, Json.parse("[2147483648]").get(0));
        assertInstanceOf(BigIntegerNode.class, Json.parse("{\"n\":9223372036854775808}").get("n"));
        assertInstanceOf(DoubleNode.class, Json.parse("-0.0"));
        assertEquals("-0.0", Json.write(Json.parse("-0.0")));
    }

    @Test
    void duplicateKeyKeepsFirstPositionAndLastValue() throws IOException {
        assertEquals("{\"k\":3,\"x\":2}", Json.write(Json.parse("{\"k\":1,\"x\":2,\"k\":3}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void emptyInputIsMissingLikeReadTree(String json) throws IOException {
        assertSame(MissingNode.getInstance(), ORACLE.readTree(json));
        assertSame(MissingNode.getInstance(), Json.parse(json));
        assertSame(MissingNode.getInstance(), Json.parse(json.getBytes(UTF_8)));
        assertSame(MissingNode.getInstance(), Json.parse(new ByteArrayInputStream(json.getBytes(UTF_8))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[1,", "{\"a\"}", "{\"a\":}", "[1 2]", "tru", "\"open", "{'a':1}", "NaN", "01",
        "{} x", "{}{}", "1 2", "[] ]", "}"})
    void malformedIsAnIOExceptionWithTheReason(String json) {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.parse(json));
        assertTrue(e.getOriginalMessage() != null && !e.getOriginalMessage().isBlank(), e::getMessage);
    }

    @Test
    void trailingDataIsRefusedWhereReadTreeByDefaultIgnoresIt() throws IOException {
        assertEquals(Json.object(), ORACLE.readTree("{} x"));
        assertThrows(JsonProcessingException.class, () -> Json.parse("{} x"));
    }

    @Test
    void writesProgrammaticTreesAsObjectMapper() throws IOException {
        ObjectNode n = Json.object();
        n.put("f", 1.5f).put("d", new BigDecimal("1.50")).put("big", new BigDecimal("1E+3")).put("s", (short) 7)
                .put("bin", "hi".getBytes(UTF_8)).putNull("nul").put("neg0", -0.0).put("nan", Double.NaN)
                .put("inf", Double.POSITIVE_INFINITY).put("long", Long.MIN_VALUE).put("bi", BigInteger.TEN.pow(30));
        n.set("missing", MissingNode.getInstance());
        n.putPOJO("pojo", Map.of("a", List.of(1, "b")));
        n.putArray("arr").add(Json.object()).addNull().add(7L);
        assertEquals(ORACLE.writeValueAsString(n), Json.write(n));
        assertArrayEquals(ORACLE.writeValueAsBytes(n), Json.writeBytes(n));
        assertEquals(ORACLE.writerWithDefaultPrettyPrinter().writeValueAsString(n), Json.writePretty(n));
    }

    public record Point(int x, String label) {
    }

    @Test
    void aPojoNodeOfAnotherTypeNeedsTheGeneratorsCodec() throws IOException {
        ObjectNode n = Json.object();
        n.putPOJO("p", new Point(1, "<a>"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(n));
        java.io.StringWriter out = new java.io.StringWriter();
        try (com.fasterxml.jackson.core.JsonGenerator g = ORACLE.createGenerator(out)) {
            Json.write(g, n);
        }
        assertEquals(ORACLE.writeValueAsString(n), out.toString());
    }

    @Test
    void plainValuesBecomeTheTreesValueToTreeMakes() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "x");
        m.put("i", 1);
        m.put("l", 1L << 40);
        m.put("d", 2.5);
        m.put("b", true);
        m.put("n", null);
        m.put("bytes", new byte[] {1, 2, 3});
        List<Object> list = new ArrayList<>(List.of(1, "two", Map.of("three", 3)));
        m.put("list", list);
        assertEquals(ORACLE.writeValueAsString(ORACLE.valueToTree(m)), Json.write(Json.tree(m)));
        assertEquals(ORACLE.writeValueAsString(m), Json.write(Json.tree(m)));
        assertEquals(ORACLE.valueToTree("text"), Json.tree("text"));
        assertThrows(IllegalArgumentException.class, () -> Json.tree(new Object()));
    }

    private static void assertSameTree(JsonNode expected, JsonNode actual) throws IOException {
        assertEquals(expected, actual);
        assertEquals(ORACLE.writeValueAsString(expected), ORACLE.writeValueAsString(actual));
        assertEquals(expected.getClass(), actual.getClass());
        List<String> e = new ArrayList<>();
        List<String> a = new ArrayList<>();
        classes(expected, e);
        classes(actual, a);
        assertEquals(e, a, "node classes");
    }

    private static void classes(JsonNode n, List<String> out) {
        out.add(n.getClass().getSimpleName());
        n.properties().forEach(p -> {
            out.add(p.getKey());
            classes(p.getValue(), out);
        });
        if (n.isArray()) {
            n.forEach(c -> classes(c, out));
        }
    }
}
