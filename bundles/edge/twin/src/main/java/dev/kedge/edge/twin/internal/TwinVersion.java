package dev.kedge.edge.twin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** KubeEdge's {@code TwinVersion}: {@code {"cloud":c,"edge":e}}, one for the expected and one for the actual value. */
record TwinVersion(long cloud, long edge) {
    static final TwinVersion ZERO = new TwinVersion(0, 0);

    TwinVersion bumpEdge() {
        return new TwinVersion(cloud, edge + 1);
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("cloud", cloud);
        n.put("edge", edge);
        return n;
    }

    String toText() {
        return "{\"cloud\":" + cloud + ",\"edge\":" + edge + "}";
    }

    /** Null for a missing or null node; a wrong shape is refused. */
    static TwinVersion of(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw new BadInput("a twin version must be an object {cloud, edge}");
        }
        return new TwinVersion(number(n.get("cloud")), number(n.get("edge")));
    }

    /** From a stored column; null when empty or unreadable. */
    static TwinVersion parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return of(Json.read(text));
        } catch (Exception e) {
            return null;
        }
    }

    private static long number(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber()) {
            throw new BadInput("twin version fields must be integers");
        }
        return n.asLong();
    }
}
