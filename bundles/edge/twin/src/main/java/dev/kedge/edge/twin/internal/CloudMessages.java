package dev.kedge.edge.twin.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.ResourceTypes;

/**
 * What the cloud says about devices, in both forms KubeEdge has used:
 * <ul>
 * <li>DeviceController's twin-group messages ({@code membership} update/detail with {@code added_devices} /
 * {@code removed_devices}, and {@code device/<id>/twin/cloud_updated} with versioned desired values);</li>
 * <li>v1beta1 Device objects that MetaManager stored and forwards ({@code <ns>/device/<name>}, source
 * {@code meta}): a device appears or goes with its object, and {@code spec.properties[].desired.value} becomes the
 * twin's expected value (cloud version = the object's resourceVersion), which reaches the mapper as a delta.</li>
 * </ul>
 * Membership changes are published to mappers on {@code $hw/events/node/<node>/membership/updated}.
 */
final class CloudMessages {
    private static final Logger LOG = LoggerFactory.getLogger(CloudMessages.class);
    static final String TYPE_DEVICE = ResourceTypes.DEVICE;
    static final String TYPE_DEVICE_MODEL = ResourceTypes.DEVICE_MODEL;

    private final TwinProcessor p;

    CloudMessages(TwinProcessor p) {
        this.p = p;
    }

    void fromController(Message m) {
        String resource = m.resource() == null ? "" : m.resource();
        if (m.isResponse() || Operations.RESPONSE.equals(m.operation())) {
            LOG.debug("cloud confirmed report {}", m.parentId()); // DeviceController's confirm of an upstream report
            return;
        }
        if (resource.contains("membership/detail")) {
            membership(m, true);
        } else if (resource.contains(ResourceTypes.MEMBERSHIP)) {
            membership(m, false);
        } else if (resource.contains("twin/cloud_updated")) {
            cloudUpdated(m, resource);
        } else {
            throw new BadInput("no DeviceTwin action for " + m.operation() + " " + resource);
        }
    }

    /** {@code MembershipUpdate} ({@code added_devices}, {@code removed_devices}) or, for detail, the whole list. */
    private void membership(Message m, boolean detail) {
        JsonNode content = Json.object(m.content(), Integer.MAX_VALUE);
        List<JsonNode> added = devices(content, detail ? "devices" : "added_devices");
        List<JsonNode> removed = devices(content, "removed_devices");
        Batch b = new Batch();
        synchronized (p.cache) {
            Set<String> listed = new HashSet<>();
            for (JsonNode dev : added) {
                listed.add(add(b, dev));
            }
            if (detail) {
                for (DeviceRecord d : p.cache.all()) {
                    if (!listed.contains(d.id)) {
                        remove(b, d.id, DeviceRecord.membershipEntry(d.id, d.name, d.description));
                    }
                }
            }
            for (JsonNode dev : removed) {
                String id = Json.text(dev, "id");
                DeviceRecord d = id == null ? null : p.cache.find(id);
                if (d == null) {
                    LOG.warn("membership: remove of unknown device {} ignored", id);
                    continue;
                }
                remove(b, d.id, (ObjectNode) dev);
            }
        }
        b.commit("membership " + m.id(), m);
    }

    private static List<JsonNode> devices(JsonNode content, String field) {
        JsonNode a = content.get(field);
        List<JsonNode> out = new ArrayList<>();
        if (a == null || a.isNull()) {
            return out;
        }
        if (!a.isArray()) {
            throw new BadInput("'" + field + "' must be a list");
        }
        for (JsonNode d : a) {
            if (!d.isObject() || Json.text(d, "id") == null || Json.text(d, "id").isEmpty()) {
                throw new BadInput("every device in '" + field + "' needs an id");
            }
            Json.text(d, "name");
            Json.text(d, "description");
            Json.object(d, "twin");
            Json.object(d, "attributes");
        }
        a.forEach(out::add);
        return out;
    }

    /** Adds or refreshes one device of a membership message; returns its id. Holds the cache lock. */
    private String add(Batch b, JsonNode dev) {
        String id = Json.text(dev, "id");
        DeviceRecord d = p.cache.find(id);
        if (d == null || !d.id.equals(id) && id.contains("/")) {
            d = new DeviceRecord(id, Json.textOr(dev, "name", id), Json.text(dev, "description"),
                    Json.text(dev, "state"), "");
            p.cache.put(d);
            b.devices.add(new DeviceRecord(d.id, d.name, d.description, d.state, d.lastOnline));
            b.added.add(withoutVersions(dev));
        }
        JsonNode attrs = Json.object(dev, "attributes");
        if (attrs != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = attrs.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                AttrRecord a = attr(e.getKey(), e.getValue());
                if (a != null) {
                    d.attrs.put(a.name(), a);
                    b.attrs.add(new Object[] {d.id, a});
                }
            }
        }
        JsonNode twin = Json.object(dev, "twin");
        if (twin != null) {
            Map<String, MsgTwin> msg = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                try {
                    msg.put(e.getKey(), MsgTwin.of(e.getValue()));
                } catch (BadInput bad) {
                    LOG.warn("membership: twin {} of {} skipped: {}", e.getKey(), id, bad.getMessage());
                }
            }
            b.sync(d, msg);
        }
        return d.id;
    }

    private static AttrRecord attr(String name, JsonNode v) {
        if (v == null || !v.isObject()) {
            return null;
        }
        JsonNode meta = v.get("metadata");
        String type = meta != null && meta.isObject() && meta.path("type").isTextual() ? meta.get("type").asText()
                : TwinRecord.STRING;
        JsonNode opt = v.get("optional");
        return new AttrRecord(name, "", v.path("value").asText(""), opt == null || !opt.isBoolean() || opt.asBoolean(),
                type, null);
    }

    private void remove(Batch b, String id, ObjectNode entry) {
        p.cache.remove(id);
        b.removedIds.add(id);
        b.removed.add(withoutVersions(entry));
    }

    private static ObjectNode withoutVersions(JsonNode dev) {
        ObjectNode copy = (ObjectNode) dev.deepCopy();
        JsonNode twin = copy.get("twin");
        if (twin != null && twin.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = twin.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isObject()) {
                    ObjectNode t = (ObjectNode) e.getValue();
                    t.remove("expected_version");
                    t.remove("actual_version");
                    if (TwinRecord.DELETED.equals(t.path("metadata").path("type").asText())) {
                        e.setValue(JsonNodeFactory.instance.nullNode());
                    }
                }
            }
        }
        return copy;
    }

    /** {@code device/<id>/twin/cloud_updated} ({@code <id>} = name or namespace/name): a versioned twin sync. */
    private void cloudUpdated(Message m, String resource) {
        int start = resource.indexOf("device/");
        int end = resource.indexOf("/twin/cloud_updated");
        if (start < 0 || end <= start + 7) {
            throw new BadInput("no device id in " + resource);
        }
        String id = resource.substring(start + 7, end);
        JsonNode content = Json.object(m.content(), Integer.MAX_VALUE);
        Map<String, MsgTwin> msg = MsgTwin.mapOf(content);
        Batch b = new Batch();
        synchronized (p.cache) {
            DeviceRecord d = p.cache.find(id);
            if (d == null) {
                p.counters.unknownDevices.increment();
                LOG.warn("twin sync for unknown device {} ignored", id);
                return;
            }
            b.sync(d, msg);
        }
        b.commit("twin cloud sync " + id, m);
    }

    /** A Device or DeviceModel object MetaManager stored ({@code <ns>/device/<name>}), as v1.15+ clouds send them. */
    void deviceObject(Message m) {
        String[] parts = m.resource() == null ? new String[0] : m.resource().split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[2].isEmpty()) {
            throw new BadInput("not a device resource (<ns>/device/<name>): " + m.resource());
        }
        if (TYPE_DEVICE_MODEL.equals(parts[1])) {
            LOG.debug("device model {} noted; DeviceTwin keeps no models", m.resource());
            return;
        }
        if (!TYPE_DEVICE.equals(parts[1])) {
            throw new BadInput("not a device resource: " + m.resource());
        }
        String id = parts[0] + "/" + parts[2];
        Batch b = new Batch();
        synchronized (p.cache) {
            DeviceRecord d = p.cache.find(id);
            if (Operations.DELETE.equals(m.operation())) {
                if (d != null) {
                    remove(b, d.id, DeviceRecord.membershipEntry(d.id, d.name, d.description));
                }
            } else {
                JsonNode device = Json.object(m.content(), Integer.MAX_VALUE);
                if (d == null) {
                    d = new DeviceRecord(id, parts[2], device.path("metadata").path("labels").path("description")
                            .asText(""), "", "");
                    p.cache.put(d);
                    b.devices.add(new DeviceRecord(d.id, d.name, d.description, d.state, d.lastOnline));
                    b.added.add(DeviceRecord.membershipEntry(d.id, d.name, d.description));
                }
                b.sync(d, desired(d, device));
            }
        }
        b.commit("device object " + m.operation() + " " + id, m);
    }

    /** {@code spec.properties[].desired} that differ from the stored expected values, as a versioned cloud sync. */
    private static Map<String, MsgTwin> desired(DeviceRecord d, JsonNode device) {
        long rv;
        try {
            rv = Long.parseLong(device.path("metadata").path("resourceVersion").asText("0"));
        } catch (NumberFormatException e) {
            rv = 0;
        }
        Map<String, MsgTwin> out = new LinkedHashMap<>();
        JsonNode props = device.path("spec").path("properties");
        if (!props.isArray()) {
            return out;
        }
        for (JsonNode prop : props) {
            String name = prop.path("name").asText("");
            JsonNode desired = prop.path("desired");
            String value = desired.path("value").asText("");
            if (name.isEmpty() || value.isEmpty()) {
                continue;
            }
            TwinRecord old = d.twins.get(name);
            if (old != null && !old.deleted() && value.equals(old.expected())) {
                continue; // unchanged: a status-only update of the object must not churn the twin
            }
            String type = desired.path("metadata").path("type").asText(TwinRecord.STRING).toLowerCase(Locale.ROOT);
            ObjectNode meta = JsonNodeFactory.instance.objectNode().put("type", type);
            out.put(name, new MsgTwin(false, true, value, false, null, Boolean.FALSE, type, meta,
                    new TwinVersion(rv, 0), null));
        }
        return out;
    }

    /** What one cloud message changes, committed in one write; results go out after the commit. */
    private final class Batch {
        final List<DeviceRecord> devices = new ArrayList<>();
        final List<Object[]> attrs = new ArrayList<>();
        final List<Object[]> twins = new ArrayList<>();
        final List<TwinRows.Pending> reports = new ArrayList<>();
        final List<String> removedIds = new ArrayList<>();
        final List<JsonNode> added = new ArrayList<>();
        final List<JsonNode> removed = new ArrayList<>();
        final List<Object[]> documents = new ArrayList<>();
        final Map<String, ObjectNode> deltas = new LinkedHashMap<>();
        int conflicts;
        boolean synced;

        /** A versioned cloud sync of one device's twins. Holds the cache lock. */
        void sync(DeviceRecord d, Map<String, MsgTwin> msg) {
            if (msg.isEmpty()) {
                return;
            }
            TwinLogic.Outcome o = TwinLogic.apply(d.twins, msg, TwinLogic.Source.CLOUD, System.currentTimeMillis());
            d.twins.putAll(o.changed);
            o.changed.values().forEach(t -> twins.add(new Object[] {d.id, t}));
            o.toCloud.values().forEach(t -> reports.add(p.outbox.twin(d.id, t)));
            if (!o.document.isEmpty()) {
                documents.add(new Object[] {d.id, o.document});
            }
            ObjectNode delta = TwinLogic.delta(d.twins);
            if (delta != null) {
                deltas.put(d.id, delta);
            }
            conflicts += o.conflicts;
            synced |= !o.changed.isEmpty();
            if (o.conflicts > 0) {
                LOG.warn("{} twin(s) of {}: cloud sync refused, version conflict; the edge's values go back to the"
                        + " cloud", o.conflicts, d.id);
            }
        }

        void commit(String what, Message m) {
            p.commit(what, null, c -> {
                for (DeviceRecord d : devices) {
                    p.rows.upsertDevice(c, d);
                }
                for (Object[] a : attrs) {
                    p.rows.upsertAttr(c, (String) a[0], (AttrRecord) a[1]);
                }
                for (Object[] t : twins) {
                    p.rows.upsertTwin(c, (String) t[0], (TwinRecord) t[1]);
                }
                for (TwinRows.Pending r : reports) {
                    p.rows.putPending(c, r);
                }
                for (String id : removedIds) {
                    p.rows.deleteDevice(c, id);
                }
                return null;
            }, error -> committed(m, error));
        }

        private void committed(Message m, Throwable error) {
            if (error != null) {
                // not acked: the cloud resends what it queued for an ack; the cache is re-read as a whole
                p.cache.replaceAll(p.store.read(TwinRows::loadAll));
                return;
            }
            p.ackIfNeeded(m);
            p.counters.versionConflicts.add(conflicts);
            if (synced) {
                p.counters.cloudSyncs.increment();
            }
            String topic = Topics.node(p.nodeName(), Topics.MEMBERSHIP_UPDATED);
            for (JsonNode a : added) {
                p.publisher.toMapper(topic, Json.write(Payloads.membershipUpdated(List.of(a), null)));
            }
            for (JsonNode r : removed) {
                p.publisher.toMapper(topic, Json.write(Payloads.membershipUpdated(null, List.of(r))));
            }
            for (Object[] doc : documents) {
                p.publisher.toMapper(Topics.device((String) doc[0], Topics.TWIN_UPDATE_DOCUMENT),
                        Json.write(Payloads.twin(Payloads.fresh(), (JsonNode) doc[1])));
            }
            deltas.forEach((id, delta) -> {
                ObjectNode payload = Payloads.fresh();
                payload.setAll(delta);
                p.publisher.toMapper(Topics.device(id, Topics.TWIN_UPDATE_DELTA), Json.write(payload));
            });
            if (!reports.isEmpty()) {
                p.outbox.request();
            }
        }
    }
}
