package dev.kedge.edge.twin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.kedge.core.MessageCodec;

/** JSON helpers: payloads from mappers arrive as text, bytes or a tree; DeviceTwin works on trees. */
final class Json {
    static final ObjectMapper MAPPER = MessageCodec.mapper();

    private Json() {
    }

    /** The content of a bus message as a JSON object, refusing anything else (and oversized text). */
    static JsonNode object(Object content, int maxBytes) {
        JsonNode n;
        if (content instanceof JsonNode tree) {
            n = tree;
        } else if (content instanceof String s) {
            if (s.length() > maxBytes || s.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
                throw new BadInput("payload larger than " + maxBytes + " bytes");
            }
            n = parse(s);
        } else if (content instanceof byte[] b) {
            if (b.length > maxBytes) {
                throw new BadInput("payload larger than " + maxBytes + " bytes");
            }
            n = parse(new String(b, StandardCharsets.UTF_8));
        } else if (content == null) {
            throw new BadInput("empty payload");
        } else {
            n = MAPPER.valueToTree(content);
        }
        if (n == null || !n.isObject()) {
            throw new BadInput("payload is not a JSON object");
        }
        return n;
    }

    private static JsonNode parse(String s) {
        try {
            return MAPPER.readTree(s);
        } catch (IOException e) {
            throw new BadInput("malformed JSON: " + e.getClass().getSimpleName());
        }
    }

    /** A text field: absent/null = null; anything but a string is refused. */
    static String text(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new BadInput("'" + field + "' must be a string");
        }
        return n.asText();
    }

    static String textOr(JsonNode parent, String field, String fallback) {
        String v = text(parent, field);
        return v == null ? fallback : v;
    }

    /** An object field: absent/null = null; anything but an object is refused. */
    static JsonNode object(JsonNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new BadInput("'" + field + "' must be an object");
        }
        return n;
    }

    static String write(JsonNode n) {
        return n.toString();
    }
}
