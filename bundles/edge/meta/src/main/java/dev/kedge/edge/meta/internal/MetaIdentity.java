package dev.kedge.edge.meta.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.EdgeAnnotations;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.edge.store.EdgeStore;

/**
 * The identity of this {@code meta} table, made once with the database. Registrations carry it, so the cloud can tell
 * a restarted edge (same database, nothing to resend) from a reinstalled one (new database: resend everything).
 */
final class MetaIdentity {
    private MetaIdentity() {
    }

    static String ensure(EdgeStore store) {
        try {
            return store.write("meta identity", c -> {
                try (ResultSet rs = c.createStatement().executeQuery("SELECT id FROM meta_identity LIMIT 1")) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
                String id = UUID.randomUUID().toString();
                try (PreparedStatement p = c.prepareStatement("INSERT INTO meta_identity (id) VALUES (?)")) {
                    p.setString(1, id);
                    p.executeUpdate();
                }
                return id;
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read or create the meta table's identity: " + e, e);
        }
    }

    /** A copy of a node registration carrying {@link EdgeAnnotations#META_ID}; other messages as they are. */
    static Message stamp(Message m, String id) {
        JsonNode content;
        try {
            content = MessageCodec.contentTree(m);
        } catch (RuntimeException e) {
            return m;
        }
        if (!(content instanceof ObjectNode node)) {
            return m;
        }
        ObjectNode copy = node.deepCopy();
        JsonNode metadata = copy.get("metadata");
        ObjectNode meta = metadata instanceof ObjectNode o ? o : copy.putObject("metadata");
        JsonNode annotations = meta.get("annotations");
        ObjectNode notes = annotations instanceof ObjectNode o ? o : meta.putObject("annotations");
        notes.put(EdgeAnnotations.META_ID, id);
        return m.withContent(copy);
    }
}
