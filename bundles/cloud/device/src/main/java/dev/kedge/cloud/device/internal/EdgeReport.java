package dev.kedge.cloud.device.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import dev.kedge.core.Resource;

/**
 * A DeviceTwin report as CloudHub hands it over (resource prefixed with the sending node):
 * {@code node/<node>/device/<ns>/<name>/twin/edge_updated} with {@code {event_id, timestamp, twin:{<prop>:{actual:
 * {value, metadata:{timestamp}}, expected?, metadata:{type}}}}}, or {@code …/state/update} with {@code {event_id,
 * timestamp, device:{name, state, lastOnlineTime}}}. Before v1.17 the id was the name alone ({@code device/<name>/…}):
 * namespace {@code default}. Content may be a JSON string or a JSON tree.
 */
record EdgeReport(Kind kind, String node, String namespace, String name, Map<String, Twin> twins, String state,
        String lastOnlineTime) {
    static final String TWIN_SUFFIX = "/twin/edge_updated";
    static final String STATE_SUFFIX = "/state/update";
    static final String DEFAULT_NAMESPACE = "default";

    enum Kind { TWIN, STATE }

    /** One property as reported: {@code actual} → reported, {@code expected} → observedDesired (either may be null). */
    record Twin(Value reported, Value observedDesired) {
    }

    /** A value with KubeEdge's status metadata: {@code timestamp} (ms, as text) and {@code type}; "" when absent. */
    record Value(String value, String timestamp, String type) {
    }

    String key() {
        return namespace + "/" + name;
    }

    /** True for resources this parser handles (device twin or state reports). */
    static boolean isReport(String resource) {
        return resource != null && (resource.endsWith(TWIN_SUFFIX) || resource.endsWith(STATE_SUFFIX));
    }

    /** Parses a report; IllegalArgumentException says what is wrong. */
    static EdgeReport parse(Message m) {
        String resource = m.resource();
        if (!isReport(resource)) {
            throw new IllegalArgumentException("not a device report: " + resource);
        }
        Kind kind = resource.endsWith(TWIN_SUFFIX) ? Kind.TWIN : Kind.STATE;
        String[] head = resource.substring(0, resource.length()
                - (kind == Kind.TWIN ? TWIN_SUFFIX : STATE_SUFFIX).length()).split("/", -1);
        // node/<node>/device/<id> where id is <ns>/<name> (v1.17+) or <name> (before)
        if (head.length < 4 || head.length > 5 || !Resource.NODE_PREFIX.equals(head[0]) || head[1].isEmpty()
                || !Frames.DEVICE.equals(head[2])) {
            throw new IllegalArgumentException("resource is not node/<node>/device/[<ns>/]<name>/…: " + resource);
        }
        String ns = head.length == 5 ? head[3] : DEFAULT_NAMESPACE;
        String name = head[head.length - 1];
        if (ns.isEmpty() || name.isEmpty()) {
            throw new IllegalArgumentException("empty namespace or device name in " + resource);
        }
        JsonNode c = content(m);
        if (kind == Kind.STATE) {
            JsonNode d = c.path("device");
            if (!d.isObject()) {
                throw new IllegalArgumentException("state report without a device object");
            }
            String state = d.path("state").asText("");
            String last = d.path("lastOnlineTime").asText("");
            if (state.isEmpty() && last.isEmpty()) {
                throw new IllegalArgumentException("state report with neither state nor lastOnlineTime");
            }
            return new EdgeReport(kind, head[1], ns, name, Map.of(), state, last);
        }
        JsonNode twin = c.path("twin");
        if (!twin.isObject()) {
            throw new IllegalArgumentException("twin report without a twin object");
        }
        Map<String, Twin> twins = new LinkedHashMap<>();
        twin.fields().forEachRemaining(e -> {
            String type = e.getValue().path("metadata").path("type").asText("");
            Value reported = value(e.getValue().path("actual"), type);
            Value desired = value(e.getValue().path("expected"), type);
            if (reported != null || desired != null) {
                twins.put(e.getKey(), new Twin(reported, desired));
            }
        });
        return new EdgeReport(kind, head[1], ns, name, twins, "", "");
    }

    private static Value value(JsonNode v, String type) {
        JsonNode value = v.path("value");
        if (!v.isObject() || value.isMissingNode() || value.isNull()) {
            return null;
        }
        JsonNode ts = v.path("metadata").path("timestamp");
        return new Value(value.asText(), ts.isMissingNode() || ts.isNull() ? "" : ts.asText(), type);
    }

    private static JsonNode content(Message m) {
        Object c = m.content();
        JsonNode tree;
        if (c instanceof String s) {
            try {
                tree = Frames.JSON.readTree(s);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("content is not JSON: " + e.getOriginalMessage());
            }
        } else if (c instanceof JsonNode n) {
            tree = n;
        } else if (c instanceof byte[] b) {
            try {
                tree = Frames.JSON.readTree(b);
            } catch (IOException e) {
                throw new IllegalArgumentException("content is not JSON: " + e.getMessage());
            }
        } else {
            tree = c == null ? null : Frames.JSON.valueToTree(c);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException("content is not a JSON object");
        }
        return tree;
    }
}
