package dev.kedge.core.json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads JSON text into Jackson trees and writes trees as text, producing what {@code ObjectMapper.readTree} and
 * {@code ObjectMapper.writeValueAsString} (with default settings) produce, without loading the mapper.
 * <p>Reading: objects keep field order and a repeated key keeps its first position with its last value; integers
 * become IntNode, LongNode or BigIntegerNode by size, other numbers DoubleNode. Empty (or blank) input gives
 * {@link MissingNode}, as {@code readTree} does. Anything after the root value is an error (Go's
 * {@code json.Unmarshal} refuses it too; {@code readTree} by default ignores it). Malformed input is a
 * {@link JsonProcessingException} naming the problem and where it is.
 * <p>Writing: compact, the generator's standard escaping. Use {@link #write(JsonNode)}, not
 * {@code JsonNode.toString()}: that writes through databind's internal ObjectMapper, and so creates one.
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    /** The shared factory, default settings; do not reconfigure it. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    public static ObjectNode object() {
        return NODES.objectNode();
    }

    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    public static JsonNode parse(String json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readRoot(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a String or byte[] does not fail to read
        }
    }

    public static JsonNode parse(byte[] json) throws JsonProcessingException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return readRoot(p);
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the whole stream (it is not closed). */
    public static JsonNode parse(InputStream in) throws IOException {
        try (JsonParser p = FACTORY.createParser(in)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
            return readRoot(p);
        }
    }

    /**
     * The value at the parser's current token (or its next, if it has none), leaving the parser on that value's last
     * token, like {@code readTree(JsonParser)}; null at the end of input.
     */
    public static JsonNode read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            t = p.nextToken();
            if (t == null) {
                return null;
            }
        }
        return switch (t) {
            case START_OBJECT, START_ARRAY -> readContainer(p, t);
            case FIELD_NAME, END_OBJECT, END_ARRAY -> throw new JsonParseException(p, "expected a value, got " + t);
            default -> scalar(p, t);
        };
    }

    private static JsonNode readRoot(JsonParser p) throws IOException {
        JsonNode root = read(p);
        if (root == null) {
            return MissingNode.getInstance();
        }
        JsonToken trailing = p.nextToken();
        if (trailing != null) {
            throw new JsonParseException(p, "trailing token " + trailing + " after the JSON value");
        }
        return root;
    }

    /** Iterative, so nesting is bounded by the parser's limit and not by the thread's stack. */
    private static JsonNode readContainer(JsonParser p, JsonToken start) throws IOException {
        Deque<ContainerNode<?>> open = new ArrayDeque<>();
        ContainerNode<?> root = start == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
        open.push(root);
        String field = null;
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            ContainerNode<?> parent = open.peek();
            JsonNode value;
            switch (t) {
                case FIELD_NAME -> {
                    field = p.currentName();
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    if (open.isEmpty()) {
                        return root;
                    }
                    continue;
                }
                case START_OBJECT -> value = NODES.objectNode();
                case START_ARRAY -> value = NODES.arrayNode();
                default -> value = scalar(p, t);
            }
            if (parent instanceof ObjectNode o) {
                o.replace(field, value);
            } else {
                ((ArrayNode) parent).add(value);
            }
            if (value instanceof ContainerNode<?> c) {
                open.push(c);
            }
        }
        throw new JsonParseException(p, "unexpected end of input inside a JSON " + (root.isObject() ? "object"
                : "array"));
    }

    private static JsonNode scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_STRING -> NODES.textNode(p.getText());
            case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
                case INT -> NODES.numberNode(p.getIntValue());
                case LONG -> NODES.numberNode(p.getLongValue());
                default -> NODES.numberNode(p.getBigIntegerValue());
            };
            case VALUE_NUMBER_FLOAT -> NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new JsonParseException(p, "unexpected token " + t);
        };
    }

    /**
     * Compact JSON text, as {@code ObjectMapper.writeValueAsString} writes it. A MissingNode is written as
     * {@code null} (its {@code toString()} is an empty string).
     */
    public static String write(JsonNode node) {
        StringWriter out = new StringWriter(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** Compact UTF-8 JSON, as {@code ObjectMapper.writeValueAsBytes} writes it. */
    public static byte[] writeBytes(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            write(g, node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Indented JSON, as {@code writerWithDefaultPrettyPrinter()} and {@code toPrettyString()} write it. */
    public static String writePretty(JsonNode node) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * Writes {@code node} through {@code g}, e.g. one with its own escaping; a null node is JSON null. A POJONode
     * holding other than a plain value (see {@link #tree(Object)}) is written with {@code g}'s codec, and without one
     * is an IllegalArgumentException.
     */
    public static void write(JsonGenerator g, JsonNode node) throws IOException {
        new TreeWriter(g).write(node);
    }

    /**
     * A tree of a plain Java value: null, a JsonNode, String, Boolean, a number, byte[] (binary, base64 when written),
     * a Map (keys as text, iteration order) or a Collection, nested; what {@code valueToTree} makes of them.
     *
     * @throws IllegalArgumentException for any other type
     */
    public static JsonNode tree(Object value) {
        return Trees.of(value);
    }

    /** True if {@link #tree(Object)} takes {@code value}. */
    public static boolean isPlain(Object value) {
        return Trees.isPlain(value);
    }

    static JsonNode number(Number n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return NODES.numberNode(n.intValue());
        } else if (n instanceof Long l) {
            return NODES.numberNode(l);
        } else if (n instanceof BigInteger b) {
            return NODES.numberNode(b);
        } else if (n instanceof Double d) {
            return NODES.numberNode(d);
        } else if (n instanceof Float f) {
            return NODES.numberNode(f);
        } else if (n instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        throw new IllegalArgumentException("unsupported number type " + n.getClass().getName());
    }

    static JsonNodeFactory nodes() {
        return NODES;
    }

    static String key(Map.Entry<?, ?> e) {
        if (e.getKey() == null) {
            throw new IllegalArgumentException("a map with a null key has no JSON");
        }
        return e.getKey().toString();
    }
}
