package dev.kedge.cloud.device.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;

/**
 * Which Device is announced to which edge node, and why one is not: edge nodes, DeviceModels and Devices as the
 * informers last told, turned into membership changes, objects and desired twins for {@link Sends}. A Device goes to
 * its node once its spec is sound, its model known and its node an edge node; its model goes with the first device
 * of that model on the node and leaves with the last. Downstream worker thread only, but {@link #devices},
 * {@link #bound} and {@link #problems} are also read by the Controller and the StatusWriter.
 */
final class Bindings {
    private static final Logger LOG = LoggerFactory.getLogger(Bindings.class);
    private static final int MAX_PENDING_REMOVALS = 10_000;
    private static final String MODEL_MISSING = "DeviceModel ";

    private final Settings settings;
    private final NamedCounters counters;
    private final Sends sends;
    /** Latest spec of every Device, valid or not. */
    private final Map<String, DeviceSpec> devices = new ConcurrentHashMap<>();
    /** Device key → the node it is announced to. */
    private final Map<String, String> bound = new ConcurrentHashMap<>();
    /** Device key → why it is not sent. */
    private final Map<String, String> problems = new ConcurrentHashMap<>();
    private final Set<String> edgeNodes = ConcurrentHashMap.newKeySet();
    // worker thread only
    private final Map<String, JsonNode> models = new HashMap<>();
    private final Map<String, Map<String, DeviceSpec.Desired>> sentDesired = new HashMap<>();
    /** Node → devices removed from it, repeated in its membership when it reconnects. */
    private final Map<String, Set<DeviceSpec>> pendingRemovals = new HashMap<>();

    Bindings(Settings settings, NamedCounters counters, Sends sends) {
        this.settings = settings;
        this.counters = counters;
        this.sends = sends;
    }

    DeviceSpec device(String key) {
        return devices.get(key);
    }

    String boundNode(String key) {
        return bound.get(key);
    }

    String problem(String key) {
        return problems.getOrDefault(key, "");
    }

    Map<String, DeviceSpec> devices() {
        return devices;
    }

    /** "n edge nodes, n device models, n devices" (worker thread). */
    String counts() {
        return edgeNodes.size() + " edge nodes, " + models.size() + " device models, " + devices.size() + " devices";
    }

    void nodeEvent(String node, boolean present) {
        boolean changed = present ? edgeNodes.add(node) : edgeNodes.remove(node);
        if (changed) {
            LOG.info("edge node {} {}", node, present ? "known" : "gone");
            devices.values().stream().filter(d -> d.nodeName().equals(node)).toList().forEach(this::deviceChanged);
        }
    }

    void modelChanged(JsonNode model) {
        String key = key(model);
        models.put(key, model);
        Set<String> nodes = new HashSet<>();
        bound.forEach((deviceKey, node) -> {
            DeviceSpec d = devices.get(deviceKey);
            if (d != null && d.modelKey().equals(key)) {
                nodes.add(node);
            }
        });
        nodes.forEach(node -> sends.object(node, Operations.UPDATE, Frames.MODEL, model));
        // devices that waited for this model
        devices.values().stream().filter(d -> d.modelKey().equals(key) && problems.containsKey(d.key())).toList()
                .forEach(this::deviceChanged);
    }

    void modelDeleted(JsonNode model) {
        // like KubeEdge: devices keep what their edge has; new bindings of this model are refused until it returns
        models.remove(key(model));
        counters.increment("downstream.modelsDeleted");
    }

    void deviceChanged(DeviceSpec spec) {
        String key = spec.key();
        DeviceSpec previous = devices.put(key, spec);
        String problem = check(spec);
        if (problem.isEmpty()) {
            problems.remove(key);
        } else if (!problem.equals(problems.put(key, problem))) {
            if (problem.startsWith(MODEL_MISSING)) {
                // often transient: a model and its devices applied together reach us through two watches
                counters.increment("device.waitingForModel");
                LOG.warn("Device {} not sent yet: {}", key, problem);
            } else {
                counters.increment("device.invalid");
                LOG.error("Device {} not sent to any edge node: {}", key, problem);
            }
        }
        String target = problem.isEmpty() && !spec.nodeName().isEmpty() ? spec.nodeName() : null;
        String old = bound.get(key);
        if (old != null && !old.equals(target)) {
            unbind(previous == null ? spec : previous, old);
        }
        if (target == null) {
            return;
        }
        if (!target.equals(old)) {
            bind(spec, target);
        } else if (previous == null || !spec.sameSpec(previous)) {
            updateBound(spec, previous, target);
        }
    }

    /** From the informer cache in a resync: compared with what was bound, not with the last spec seen. */
    void deviceResynced(DeviceSpec spec) {
        devices.remove(spec.key()); // forces the comparison with what was bound
        deviceChanged(spec);
    }

    void deviceDeleted(DeviceSpec spec) {
        String key = spec.key();
        DeviceSpec last = devices.remove(key);
        problems.remove(key);
        String node = bound.get(key);
        if (node != null) {
            unbind(last == null ? spec : last, node);
        }
        counters.increment("downstream.devicesDeleted");
    }

    /** "" when the device can go to its node: the spec is sound, its model exists, its node is an edge node. */
    private String check(DeviceSpec spec) {
        if (!spec.problem().isEmpty()) {
            return spec.problem();
        }
        if (!spec.nodeName().isEmpty() && !edgeNodes.contains(spec.nodeName())) {
            return "node " + spec.nodeName() + " is not an edge node (label " + Downstream.EDGE_LABEL + ")";
        }
        JsonNode model = models.get(spec.modelKey());
        if (model == null) {
            return MODEL_MISSING + spec.modelKey() + " not found";
        }
        Set<String> modelProps = new HashSet<>();
        model.path("spec").path("properties").forEach(p -> modelProps.add(p.path("name").asText("")));
        List<String> unknown = spec.properties().stream().filter(p -> !modelProps.contains(p)).toList();
        if (!unknown.isEmpty()) {
            return "properties " + unknown + " not in DeviceModel " + spec.modelKey();
        }
        return "";
    }

    private void bind(DeviceSpec spec, String node) {
        bound.put(spec.key(), node);
        Set<DeviceSpec> removals = pendingRemovals.get(node);
        if (removals != null) {
            removals.removeIf(d -> d.key().equals(spec.key()));
        }
        sends.send(node, Frames.membership(node, List.of(spec), List.of()), Frames.MEMBERSHIP);
        sends.object(node, Operations.INSERT, Frames.MODEL, models.get(spec.modelKey()));
        sends.object(node, Operations.INSERT, Frames.DEVICE, spec.object());
        sendDesired(spec, Map.of(), node);
        LOG.info("Device {} bound to edge node {}", spec.key(), node);
    }

    private void updateBound(DeviceSpec spec, DeviceSpec previous, String node) {
        if (previous != null && !previous.modelKey().equals(spec.modelKey())) {
            sends.object(node, Operations.INSERT, Frames.MODEL, models.get(spec.modelKey()));
            dropModelIfUnused(node, previous);
        }
        sends.object(node, Operations.UPDATE, Frames.DEVICE, spec.object());
        sendDesired(spec, sentDesired.getOrDefault(spec.key(), Map.of()), node);
    }

    private void unbind(DeviceSpec spec, String node) {
        bound.remove(spec.key());
        Set<DeviceSpec> removals = pendingRemovals.computeIfAbsent(node, n -> new LinkedHashSet<>());
        if (removals.size() < MAX_PENDING_REMOVALS) {
            removals.add(spec);
        }
        sends.send(node, Frames.membership(node, List.of(), List.of(spec)), Frames.MEMBERSHIP);
        sends.object(node, Operations.DELETE, Frames.DEVICE, spec.object());
        dropModelIfUnused(node, spec);
        sentDesired.remove(spec.key());
        LOG.info("Device {} removed from edge node {}", spec.key(), node);
    }

    private void dropModelIfUnused(String node, DeviceSpec gone) {
        boolean used = bound.entrySet().stream().anyMatch(e -> e.getValue().equals(node)
                && devices.containsKey(e.getKey()) && devices.get(e.getKey()).modelKey().equals(gone.modelKey()));
        JsonNode model = models.get(gone.modelKey());
        if (!used && model != null) {
            sends.object(node, Operations.DELETE, Frames.MODEL, model);
        }
    }

    private void sendDesired(DeviceSpec spec, Map<String, DeviceSpec.Desired> before, String node) {
        if (!settings.twinCloudUpdates() || spec.desired().equals(before)) {
            return;
        }
        Map<String, String> types = new HashMap<>();
        JsonNode model = models.get(spec.modelKey());
        if (model != null) {
            model.path("spec").path("properties").forEach(p -> types.put(p.path("name").asText(""),
                    p.path("type").asText("string").toLowerCase(Locale.ROOT)));
        }
        if (sends.send(node, Frames.twinCloudUpdate(node, spec, before, types, System.currentTimeMillis()), "twin")) {
            sentDesired.put(spec.key(), spec.desired());
        }
    }

    /**
     * The node connected to this replica: membership again, and its models and devices from the ObjectSyncs' point
     * of view (what this replica sent before is void: CloudHub dropped the queue, or another replica served it).
     */
    void resendMembership(String node) {
        List<DeviceSpec> members = boundTo(node);
        sends.forget(node);
        for (DeviceSpec d : members) {
            sends.object(node, Operations.INSERT, Frames.MODEL, models.get(d.modelKey()));
            sends.object(node, Operations.INSERT, Frames.DEVICE, d.object());
        }
        Set<DeviceSpec> removals = pendingRemovals.remove(node);
        if (members.isEmpty() && (removals == null || removals.isEmpty())) {
            return;
        }
        sends.send(node, Frames.membership(node, members, removals == null ? List.of() : removals), Frames.MEMBERSHIP);
        for (DeviceSpec d : members) {
            if (settings.twinCloudUpdates() && !d.desired().isEmpty()) {
                sentDesired.remove(d.key());
                sendDesired(d, Map.of(), node);
            }
        }
        counters.increment("downstream.membershipResent");
    }

    /** The node's DeviceTwin asked for its membership detail. */
    void sendDetail(String node) {
        sends.send(node, Frames.membershipDetail(node, boundTo(node)), "membershipDetail");
    }

    private List<DeviceSpec> boundTo(String node) {
        List<DeviceSpec> members = new ArrayList<>();
        bound.forEach((k, n) -> {
            DeviceSpec d = devices.get(k);
            if (n.equals(node) && d != null) {
                members.add(d);
            }
        });
        return members;
    }

    private static String key(JsonNode obj) {
        return obj.path("metadata").path("namespace").asText("") + "/" + obj.path("metadata").path("name").asText("");
    }
}
