package dev.kedge.edge.twin.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * JSON helpers: payloads from mappers arrive as text, bytes or a tree; DeviceTwin works on trees. Reading and
 * writing go through core's {@link dev.kedge.core.json.Json}, never an ObjectMapper or {@code JsonNode.toString()}.
 */
final class Json {
    private Json() {
    }

    static ObjectNode object() {
        return dev.kedge.core.json.Json.object();
    }

    /** Parses stored or received text; empty text is a MissingNode. */
    static JsonNode read(String text) throws JsonProcessingException {
        return dev.kedge.core.json.Json.parse(text);
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
            n = dev.kedge.core.json.Json.isPlain(content) ? dev.kedge.core.json.Json.tree(content) : null;
        }
        if (n == null || !n.isObject()) {
            throw new BadInput("payload is not a JSON object");
        }
        return n;
    }

    private static JsonNode parse(String s) {
        try {
            return read(s);
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
        return dev.kedge.core.json.Json.write(n);
    }
}
