package dev.kedge.device.host.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.json.Json;
import dev.kedge.device.driver.Channel;

/** Reads Device and DeviceModel objects (JSON as MetaManager stores them) into {@link DeviceSpec}s. */
final class DeviceSpecs {
    private DeviceSpecs() {
    }

    /** Property name → lower-case type of a DeviceModel; empty when the JSON has none. */
    static Map<String, String> modelTypes(String modelJson) {
        Map<String, String> out = new HashMap<>();
        if (modelJson == null) {
            return out;
        }
        for (JsonNode p : tree(modelJson).path("spec").path("properties")) {
            String name = p.path("name").asText("");
            String type = p.path("type").asText("");
            if (!name.isEmpty() && !type.isEmpty()) {
                out.put(name, type.toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /** {@code spec.deviceModelRef.name}, empty when none. */
    static String modelName(JsonNode device) {
        return device.path("spec").path("deviceModelRef").path("name").asText("");
    }

    static JsonNode tree(String json) {
        try {
            JsonNode n = Json.parse(json);
            if (n == null || !n.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * @throws IllegalArgumentException naming what is wrong (no protocol, a negative cycle, …)
     */
    static DeviceSpec parse(JsonNode device, Map<String, String> types, HostSettings s) {
        JsonNode meta = device.path("metadata");
        String ns = meta.path("namespace").asText("");
        String name = meta.path("name").asText("");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("metadata.name missing");
        }
        String id = ns.isEmpty() ? name : ns + "/" + name;
        JsonNode spec = device.path("spec");
        String protocol = spec.path("protocol").path("protocolName").asText("");
        List<PropertySpec> props = new ArrayList<>();
        for (JsonNode p : spec.path("properties")) {
            String prop = p.path("name").asText("");
            if (prop.isEmpty()) {
                throw new IllegalArgumentException("a property without a name");
            }
            long collect = cycle(p, "collectCycle", s);
            long report = cycle(p, "reportCycle", s);
            Channel ch = new Channel(prop, types.getOrDefault(prop, ""), flat(p.path("visitors").path("configData")));
            props.add(new PropertySpec(ch, Math.max(collect, s.minCycleMs()), report,
                    p.path("reportToCloud").asBoolean(false)));
        }
        return new DeviceSpec(id, protocol, flat(spec.path("protocol").path("configData")), List.copyOf(props));
    }

    private static long cycle(JsonNode p, String field, HostSettings s) {
        JsonNode n = p.get(field);
        if (n == null || n.isNull()) {
            return s.defaultCycleMs();
        }
        if (!n.canConvertToLong() && !n.isTextual()) {
            throw new IllegalArgumentException(field + " of " + p.path("name").asText() + " is not a number");
        }
        long v;
        try {
            v = n.isTextual() ? Long.parseLong(n.asText().strip()) : n.asLong();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " of " + p.path("name").asText() + " is not a number");
        }
        if (v < 0) {
            throw new IllegalArgumentException(field + " of " + p.path("name").asText() + " is negative");
        }
        return v == 0 ? s.defaultCycleMs() : v;
    }

    /** configData as text: scalars as they read, nested values as JSON. */
    static Map<String, String> flat(JsonNode config) {
        Map<String, String> out = new LinkedHashMap<>();
        if (config == null || !config.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            out.put(e.getKey(), v.isValueNode() ? v.asText() : Json.write(v));
        }
        return out;
    }
}
