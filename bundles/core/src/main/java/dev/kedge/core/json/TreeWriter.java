package dev.kedge.core.json;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.ValueNode;

/** Writes a tree as databind's node serializers do with default settings (every field, nulls included). */
final class TreeWriter {
    private final JsonGenerator g;

    TreeWriter(JsonGenerator g) {
        this.g = g;
    }

    void write(JsonNode n) throws IOException {
        if (n == null) {
            g.writeNull();
            return;
        }
        switch (n.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject(n, n.size());
                for (Map.Entry<String, JsonNode> e : n.properties()) {
                    g.writeFieldName(e.getKey());
                    write(e.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray(n, n.size());
                for (JsonNode element : n) {
                    write(element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(n.textValue());
            case NUMBER -> number(n);
            case BOOLEAN -> g.writeBoolean(n.booleanValue());
            case NULL, MISSING -> g.writeNull();
            case BINARY -> g.writeBinary(n.binaryValue());
            case POJO -> pojo(((POJONode) n).getPojo());
            default -> throw new IllegalArgumentException("cannot write a " + n.getClass().getSimpleName());
        }
    }

    /** A plain value as its tree; anything else only through the generator's codec, if the caller gave one. */
    private void pojo(Object value) throws IOException {
        if (Json.isPlain(value)) {
            write(Json.tree(value));
        } else if (g.getCodec() != null) {
            g.writeObject(value);
        } else {
            throw new IllegalArgumentException("a POJONode holding a " + value.getClass().getName()
                    + " needs an ObjectMapper");
        }
    }

    private void number(JsonNode n) throws IOException {
        switch (n.numberType()) {
            case INT -> g.writeNumber(n.intValue());
            case LONG -> g.writeNumber(n.longValue());
            case BIG_INTEGER -> g.writeNumber(n.bigIntegerValue());
            case FLOAT -> g.writeNumber(n.floatValue());
            case DOUBLE -> g.writeNumber(n.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(n.decimalValue());
            default -> throw new IllegalArgumentException("cannot write number " + ((ValueNode) n).asText());
        }
    }
}
