package dev.kedge.edge.twin.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * KubeEdge's {@code dtmanager/twin.go: DealMsgTwin} without side effects: given a device's twins and an incoming
 * {@code twin} map, computes the new rows, the result for the mapper, the document, and what the cloud must hear.
 * <ul>
 * <li>EDGE (mapper {@code twin/update}): every value sent bumps that value's edge version; a bad value refuses the
 * whole update (400) and nothing changes.</li>
 * <li>CLOUD (membership, {@code twin/cloud_updated}, Device objects): the message must carry versions; a version
 * older than ours ({@code cloud}) or an edge copy changed since ({@code edge}) refuses that twin — "version
 * conflict" — and the edge's copy goes back to the cloud instead. Bad values are skipped.</li>
 * </ul>
 */
final class TwinLogic {
    enum Source { EDGE, CLOUD }

    /** What a twin map does to a device. */
    static final class Outcome {
        final Map<String, TwinRecord> changed = new LinkedHashMap<>();
        final ObjectNode result = JsonNodeFactory.instance.objectNode();
        final ObjectNode document = JsonNodeFactory.instance.objectNode();
        final Map<String, TwinRecord> toCloud = new LinkedHashMap<>();
        int conflicts;
        String error;
    }

    private TwinLogic() {
    }

    static Outcome apply(Map<String, TwinRecord> twins, Map<String, MsgTwin> msg, Source source, long now) {
        Outcome o = new Outcome();
        for (Map.Entry<String, MsgTwin> e : msg.entrySet()) {
            String key = e.getKey();
            TwinRecord old = twins.get(key);
            MsgTwin m = e.getValue();
            String err;
            if (old == null) {
                err = add(o, key, m, source, now);
            } else if (m.removed() && source == Source.EDGE
                    || source == Source.CLOUD && TwinRecord.DELETED.equals(m.metaType())) {
                err = delete(o, old, m, source);
            } else if (m.removed()) {
                err = null; // a cloud entry without content: nothing to do
            } else {
                err = compare(o, old, m, source, now);
            }
            if (err != null && source == Source.EDGE) {
                Outcome failed = new Outcome();
                failed.error = err;
                return failed;
            }
        }
        return o;
    }

    private static String add(Outcome o, String key, MsgTwin m, Source source, long now) {
        if (m.removed()) {
            return source == Source.EDGE ? "The request body is wrong" : null;
        }
        String type = m.metaType() == null ? TwinRecord.STRING : m.metaType();
        TwinRecord t = new TwinRecord(key, "", null, 0, null, null, 0, null,
                m.optional() == null || m.optional(), type, m.metadataColumn());
        if (source == Source.CLOUD && TwinRecord.DELETED.equals(type)) {
            t = new TwinRecord(key, "", null, 0, m.expectedVersion(), null, 0, m.actualVersion(), t.optional(), type,
                    t.metadata());
        }
        if (m.hasExpected()) {
            TwinVersion v = source == Source.EDGE ? TwinVersion.ZERO.bumpEdge() : m.expectedVersion();
            if (v == null) {
                return null; // KubeEdge: "Version not allowed be nil while syncing"; the add is refused quietly
            }
            String bad = m.expected() == null ? "expected value missing" : ValueTypes.check(type, m.expected());
            if (bad != null) {
                return source == Source.EDGE ? bad : null;
            }
            t = t.withExpected(m.expected(), now, v);
        }
        if (m.hasActual()) {
            TwinVersion v = source == Source.EDGE ? TwinVersion.ZERO.bumpEdge() : m.actualVersion();
            if (v == null) {
                return null;
            }
            String bad = m.actual() == null ? "actual value missing" : ValueTypes.check(type, m.actual());
            if (bad != null) {
                return source == Source.EDGE ? bad : null;
            }
            t = t.withActual(m.actual(), now, v);
        }
        o.changed.put(key, t);
        document(o, key, null, t.deleted() ? null : t);
        if (source == Source.EDGE) {
            o.result.set(key, t.toMsgTwin(false));
            o.toCloud.put(key, t);
        }
        return null;
    }

    private static String delete(Outcome o, TwinRecord old, MsgTwin m, Source source) {
        if (old.deleted() || source == Source.EDGE && !old.optional()) {
            return null; // KubeEdge deletes only optional twins on an edge request
        }
        TwinRecord t = old;
        if (old.expectedVersion() != null) {
            TwinVersion v = version(old.expectedVersion(), m.expectedVersion(), source);
            if (v == null) {
                return refuse(o, old);
            }
            t = t.withExpected(null, 0, v);
        }
        if (old.actualVersion() != null) {
            TwinVersion v = version(old.actualVersion(), m.actualVersion(), source);
            if (v == null) {
                return refuse(o, old);
            }
            t = t.withActual(null, 0, v);
        }
        t = t.withType(TwinRecord.DELETED, old.metadata());
        o.changed.put(old.name(), t);
        document(o, old.name(), old, null);
        if (source == Source.EDGE) {
            o.result.putNull(old.name());
            o.toCloud.put(old.name(), t);
        }
        return null;
    }

    private static String compare(Outcome o, TwinRecord old, MsgTwin m, Source source, long now) {
        TwinRecord t = old;
        boolean expectedChanged = false;
        boolean actualChanged = false;
        String type = old.deleted() ? (m.metaType() == null ? TwinRecord.STRING : m.metaType()) : old.type();
        boolean sameAsStored = source == Source.CLOUD && !old.deleted() && m.expected() != null
                && m.expected().equals(old.expected()) && m.expectedVersion() != null
                && m.expectedVersion().equals(old.expectedVersion());
        if (m.hasExpected() && !sameAsStored) { // a repeat of a sync already applied changes nothing
            String bad = m.expected() == null ? "expected value missing" : ValueTypes.check(type, m.expected());
            if (bad != null) {
                return source == Source.EDGE ? bad : null;
            }
            TwinVersion v = version(old.expectedVersion() == null ? TwinVersion.ZERO : old.expectedVersion(),
                    m.expectedVersion(), source);
            if (v == null) {
                return refuse(o, old);
            }
            t = t.withExpected(m.expected(), now, v);
            expectedChanged = true;
        }
        if (m.hasActual()) {
            String bad = m.actual() == null ? "actual value missing" : ValueTypes.check(type, m.actual());
            if (bad != null) {
                return source == Source.EDGE ? bad : null;
            }
            TwinVersion v = version(old.actualVersion() == null ? TwinVersion.ZERO : old.actualVersion(),
                    m.actualVersion(), source);
            if (v == null) {
                return refuse(o, old);
            }
            t = t.withActual(m.actual(), now, v);
            actualChanged = true;
        }
        boolean changed = expectedChanged || actualChanged;
        if (m.optional() != null && m.optional() != old.optional() && old.optional()) {
            t = t.withOptional(m.optional());
            changed = true;
        }
        if (m.metadata() != null) {
            String col = m.metadataColumn();
            boolean typeDiffers = m.metaType() != null && !m.metaType().equals(old.type());
            if (typeDiffers || col != null && !col.equals(old.metadata() == null ? "{}" : old.metadata())) {
                t = t.withType(old.deleted() && m.metaType() != null ? m.metaType() : t.type(), col);
                changed = true;
            }
        } else if (old.deleted()) {
            t = t.withType(TwinRecord.STRING, t.metadata());
            changed = true;
        }
        if (!changed) {
            return null;
        }
        o.changed.put(old.name(), t);
        document(o, old.name(), old.deleted() ? null : old, t);
        if (source == Source.EDGE) {
            o.result.set(old.name(), t.toMsgTwin(expectedChanged, actualChanged, false));
            o.toCloud.put(old.name(), t);
        }
        return null;
    }

    /** KubeEdge's {@code dealVersion}: the new version, or null when a cloud sync must be refused. */
    static TwinVersion version(TwinVersion ours, TwinVersion theirs, Source source) {
        if (source == Source.EDGE) {
            return ours.bumpEdge();
        }
        if (theirs == null || ours.cloud() > theirs.cloud() || ours.edge() > theirs.edge()) {
            return null;
        }
        return theirs;
    }

    /** A refused cloud sync: the edge's copy goes back to the cloud so it can catch up. */
    private static String refuse(Outcome o, TwinRecord ours) {
        o.conflicts++;
        o.toCloud.put(ours.name(), ours);
        return "version conflict";
    }

    private static void document(Outcome o, String key, TwinRecord last, TwinRecord current) {
        ObjectNode d = o.document.putObject(key);
        if (last == null) {
            d.putNull("last");
        } else {
            d.set("last", last.toMsgTwin(false));
        }
        if (current == null) {
            d.putNull("current");
        } else {
            d.set("current", current.toMsgTwin(false));
        }
    }

    /** KubeEdge's {@code BuildDeviceTwinDelta}: twins whose expected value differs from the actual one. */
    static ObjectNode delta(Map<String, TwinRecord> twins) {
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        for (TwinRecord t : twins.values()) {
            if (t.deleted() || t.expected() == null || t.expected().isEmpty()) {
                continue;
            }
            if (!t.expected().equals(t.actual() == null ? "" : t.actual())) {
                delta.put(t.name(), t.expected());
            }
            twin.set(t.name(), t.toMsgTwin(false));
        }
        if (delta.isEmpty()) {
            return null;
        }
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("twin", twin);
        n.set("delta", delta);
        return n;
    }
}
