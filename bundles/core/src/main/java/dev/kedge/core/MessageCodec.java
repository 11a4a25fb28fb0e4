package dev.kedge.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.json.Json;

/**
 * KubeEdge's wire JSON for beehive messages: the byte layout Go's {@code encoding/json} writes for beehive's
 * {@code model.Message} (field order, {@code omitempty}, HTML-safe escaping, {@code []byte} as base64).
 * Stateless and thread-safe.
 * <p>Trees, text, bytes and plain values (maps, collections, numbers) go through {@link Json}; only other objects
 * (the cloud's model classes) need Jackson's {@code ObjectMapper}, which is created when first needed, so the
 * edge, which sends none, never loads it.
 */
public final class MessageCodec {
    // Go writes characters outside the BMP as raw UTF-8 (not as an escaped surrogate pair) and control escapes with lower-case hex
    private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(new GoEscapes())
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private MessageCodec() {
    }

    /**
     * The shared Jackson mapper for content that is neither a tree nor a plain value; do not reconfigure it.
     * Creating it loads databind's serializer machinery: edge code uses {@link Json} instead.
     */
    public static ObjectMapper mapper() {
        return PojoJson.MAPPER;
    }

    public static byte[] encode(Message message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            write(g, message);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode message " + message.id(), e);
        }
        return out.toByteArray();
    }

    public static String encodeToString(Message message) {
        return new String(encode(message), StandardCharsets.UTF_8);
    }

    public static Message decode(String json) {
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Parses one message. Unknown keys are ignored, as Go does; wrong types, trailing data and non-objects are
     * refused with a {@link MalformedMessageException} that names the problem.
     */
    public static Message decode(byte[] json) {
        try (JsonParser p = FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("message is not a JSON object");
            }
            MessageHeader header = new MessageHeader("", "", 0, "", false, "");
            MessageRoute route = new MessageRoute("", "", "", "", "");
            Object content = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "header" -> header = readHeader(p, t);
                    case "route" -> route = readRoute(p, t);
                    case "content" -> content = readContent(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedMessageException("trailing data after the message");
            }
            return new Message(header, route, content);
        } catch (MalformedMessageException e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new MalformedMessageException("unreadable message: " + e.getMessage(), e);
        }
    }

    /** The content as a Jackson tree ({@code null} stays {@code null}). */
    public static JsonNode contentTree(Message message) {
        Object c = message.content();
        if (c == null || c instanceof JsonNode) {
            return (JsonNode) c;
        }
        return Json.isPlain(c) ? Json.tree(c) : PojoJson.tree(c);
    }

    /** The content converted to {@code type}, e.g. a model class; a JSON-string content holding JSON is parsed. */
    public static <T> T contentAs(Message message, Class<T> type) {
        Object c = message.content();
        if (type.isInstance(c)) {
            return type.cast(c);
        }
        try {
            if (JsonNode.class.isAssignableFrom(type)) {
                JsonNode n = c instanceof String s ? Json.parse(s) : contentTree(message);
                if (n != null && !type.isInstance(n)) {
                    throw new IllegalArgumentException(n.isMissingNode() ? "it is empty"
                            : "it is a " + n.getNodeType());
                }
                return type.cast(n);
            }
            return PojoJson.convert(c, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedMessageException("content of " + message.id() + " is not a " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    static String contentJson(Message message) {
        try {
            Object c = message.content();
            if (c instanceof JsonNode n && n.isMissingNode()) {
                return ""; // what MissingNode.toString() gave
            }
            return Json.isPlain(c) ? Json.write(Json.tree(c)) : PojoJson.write(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(JsonGenerator g, Message m) throws IOException {
        MessageHeader h = m.header();
        g.writeStartObject();
        g.writeObjectFieldStart("header");
        g.writeStringField("msg_id", h.id());
        writeIfSet(g, "parent_msg_id", h.parentId());
        g.writeNumberField("timestamp", h.timestamp());
        writeIfSet(g, "resourceversion", h.resourceVersion());
        if (h.sync()) {
            g.writeBooleanField("sync", true);
        }
        writeIfSet(g, "type", h.type());
        g.writeEndObject();
        MessageRoute r = m.route();
        g.writeObjectFieldStart("route"); // Go ignores omitempty on structs: route is always there
        writeIfSet(g, "source", r.source());
        writeIfSet(g, "destination", r.destination());
        writeIfSet(g, "group", r.group());
        writeIfSet(g, "operation", r.operation());
        writeIfSet(g, "resource", r.resource());
        g.writeEndObject();
        g.writeFieldName("content");
        Object c = m.content();
        if (c == null) {
            g.writeNull();
        } else if (c instanceof String s) {
            g.writeString(s);
        } else if (c instanceof byte[] b) {
            g.writeBinary(b);
        } else if (Json.isPlain(c)) {
            Json.write(g, Json.tree(c));
        } else {
            PojoJson.write(g, c);
        }
        g.writeEndObject();
    }

    private static void writeIfSet(JsonGenerator g, String name, String value) throws IOException {
        if (!value.isEmpty()) {
            g.writeStringField(name, value);
        }
    }

    private static MessageHeader readHeader(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return new MessageHeader("", "", 0, "", false, "");
        }
        expectObject(t, "header");
        String id = "", parent = "", rv = "", type = "";
        long ts = 0;
        boolean sync = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "msg_id" -> id = text(p, v, f);
                case "parent_msg_id" -> parent = text(p, v, f);
                case "resourceversion" -> rv = text(p, v, f);
                case "type" -> type = text(p, v, f);
                case "timestamp" -> {
                    if (v == JsonToken.VALUE_NUMBER_INT) {
                        ts = p.getLongValue();
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedMessageException("header.timestamp must be an integer (ms), got " + v);
                    }
                }
                case "sync" -> {
                    if (v == JsonToken.VALUE_TRUE || v == JsonToken.VALUE_FALSE) {
                        sync = v == JsonToken.VALUE_TRUE;
                    } else if (v != JsonToken.VALUE_NULL) {
                        throw new MalformedMessageException("header.sync must be a boolean, got " + v);
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new MessageHeader(id, parent, ts, rv, sync, type);
    }

    private static MessageRoute readRoute(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return new MessageRoute("", "", "", "", "");
        }
        expectObject(t, "route");
        String source = "", dest = "", group = "", op = "", res = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "source" -> source = text(p, v, f);
                case "destination" -> dest = text(p, v, f);
                case "group" -> group = text(p, v, f);
                case "operation" -> op = text(p, v, f);
                case "resource" -> res = text(p, v, f);
                default -> p.skipChildren();
            }
        }
        return new MessageRoute(source, dest, group, op, res);
    }

    private static Object readContent(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            default -> Json.read(p);
        };
    }

    private static void expectObject(JsonToken t, String what) {
        if (t != JsonToken.START_OBJECT) {
            throw new MalformedMessageException(what + " must be a JSON object, got " + t);
        }
    }

    private static String text(JsonParser p, JsonToken v, String field) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.VALUE_NULL) {
            return "";
        }
        throw new MalformedMessageException(field + " must be a string, got " + v);
    }

    /** Go's encoding/json escapes {@code < > &} and U+2028/U+2029 so JSON is safe inside HTML. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] table = standardAsciiEscapesForJSON();

        GoEscapes() {
            table['<'] = ESCAPE_CUSTOM;
            table['>'] = ESCAPE_CUSTOM;
            table['&'] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return table;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<' -> new SerializedString("\\u003c");
                case '>' -> new SerializedString("\\u003e");
                case '&' -> new SerializedString("\\u0026");
                case 0x2028 -> new SerializedString("\\u2028");
                case 0x2029 -> new SerializedString("\\u2029");
                default -> null;
            };
        }
    }
}
