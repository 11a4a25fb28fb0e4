package dev.kedge.core;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Message content that is neither a tree nor a plain value (the cloud's model classes), through Jackson's
 * {@code ObjectMapper}. Its own class so that the mapper is created, and its class even loaded (verifying a caller
 * that hands it to a generator would load it), only when such content first appears: never on the edge.
 */
final class PojoJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private PojoJson() {
    }

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static <T> T convert(Object value, Class<T> type) throws IOException {
        if (value instanceof String s && type != String.class) {
            return MAPPER.readValue(s, type);
        }
        return MAPPER.convertValue(value, type);
    }

    static String write(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }

    static void write(JsonGenerator g, Object value) throws IOException {
        g.setCodec(MAPPER);
        g.writeObject(value);
    }
}
