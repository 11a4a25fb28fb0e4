package dev.kedge.cloud.device.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the controller needs of a v1beta1 Device: identity, {@code spec.nodeName}, {@code spec.deviceModelRef.name},
 * the property names and their {@code desired} values, and what is wrong with the spec on its own ("" when nothing;
 * checks against models and nodes come later). {@code object} is the whole object as the informer holds it.
 */
record DeviceSpec(String namespace, String name, String uid, String resourceVersion, String nodeName, String model,
        String description, List<String> properties, Map<String, Desired> desired, String problem, JsonNode object) {

    /** A {@code desired} value with its metadata ({@code type} among others). */
    record Desired(String value, Map<String, String> metadata) {
    }

    static DeviceSpec of(JsonNode obj) {
        JsonNode meta = obj.path("metadata");
        JsonNode spec = obj.path("spec");
        String model = spec.path("deviceModelRef").path("name").asText("");
        List<String> properties = new ArrayList<>();
        Map<String, Desired> desired = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        if (model.isEmpty()) {
            problems.add("no spec.deviceModelRef.name");
        }
        JsonNode props = spec.path("properties");
        if (!props.isMissingNode() && !props.isNull() && !props.isArray()) {
            problems.add("spec.properties is not a list");
        }
        for (JsonNode p : props.isArray() ? props : List.<JsonNode>of()) {
            String pname = p.path("name").asText("");
            if (pname.isEmpty()) {
                problems.add("a property without a name");
                continue;
            }
            if (properties.contains(pname)) {
                problems.add("property " + pname + " twice");
                continue;
            }
            properties.add(pname);
            JsonNode d = p.path("desired");
            if (d.isObject()) {
                if (!d.path("value").isTextual()) {
                    problems.add("property " + pname + ": desired without a string value");
                    continue;
                }
                Map<String, String> md = new LinkedHashMap<>();
                d.path("metadata").fields().forEachRemaining(e -> md.put(e.getKey(), e.getValue().asText()));
                desired.put(pname, new Desired(d.path("value").asText(), Collections.unmodifiableMap(md)));
            }
        }
        String description = meta.path("labels").path("description").asText("");
        return new DeviceSpec(meta.path("namespace").asText(""), meta.path("name").asText(""),
                meta.path("uid").asText(""), meta.path("resourceVersion").asText(""), spec.path("nodeName").asText(""),
                model, description, List.copyOf(properties), Collections.unmodifiableMap(desired),
                String.join("; ", problems), obj);
    }

    String key() {
        return namespace + "/" + name;
    }

    String modelKey() {
        return namespace + "/" + model;
    }

    /** Same spec as {@code other}, metadata and status aside (KubeEdge's isDeviceUpdated ignores RV and generation). */
    boolean sameSpec(DeviceSpec other) {
        return other != null && object.path("spec").equals(other.object.path("spec"))
                && object.path("metadata").path("labels").equals(other.object.path("metadata").path("labels"));
    }
}
