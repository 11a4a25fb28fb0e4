package dev.kedge.core.json;

import java.util.Collection;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Trees of plain Java values (what modules put in message content besides trees and text). */
final class Trees {
    private Trees() {
    }

    static boolean isPlain(Object v) {
        return v == null || v instanceof JsonNode || v instanceof String || v instanceof Boolean
                || v instanceof Number || v instanceof byte[] || v instanceof Map<?, ?>
                || v instanceof Collection<?>;
    }

    static JsonNode of(Object v) {
        if (v == null) {
            return Json.nodes().nullNode();
        } else if (v instanceof JsonNode n) {
            return n;
        } else if (v instanceof String s) {
            return Json.nodes().textNode(s);
        } else if (v instanceof Boolean b) {
            return Json.nodes().booleanNode(b);
        } else if (v instanceof Number n) {
            return Json.number(n);
        } else if (v instanceof byte[] b) {
            return Json.nodes().binaryNode(b);
        } else if (v instanceof Map<?, ?> m) {
            ObjectNode o = Json.object();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                o.set(Json.key(e), of(e.getValue()));
            }
            return o;
        } else if (v instanceof Collection<?> items) {
            ArrayNode a = Json.array();
            for (Object item : items) {
                a.add(of(item));
            }
            return a;
        }
        throw new IllegalArgumentException("no JSON tree for a " + v.getClass().getName()
                + " without ObjectMapper");
    }
}
