package dev.kedge.edge.meta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.EdgeAnnotations;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/** The meta table's identity: made once per database, carried by registrations. */
class MetaIdentityTest {
    @TempDir
    Path dir;

    private String identityOf(Path file) {
        SqliteStore store = TestStores.open(file);
        try {
            store.migrate(MetaTable.OWNER, MetaTable.SCHEMA);
            return MetaIdentity.ensure(store);
        } finally {
            store.close();
        }
    }

    @Test
    void oneIdentityPerDatabaseThatOutlivesARestart() {
        String first = identityOf(dir.resolve("edgecore.db"));
        assertEquals(first, identityOf(dir.resolve("edgecore.db")), "same database after a restart");
        assertNotEquals(first, identityOf(dir.resolve("reinstalled.db")), "a new database, a new identity");
    }

    @Test
    void registrationsCarryItAndTheRequestStaysAsItWas() throws Exception {
        Message registration = Message.create("edged", "meta", "insert", "default/node/n1", MessageCodec.mapper()
                .readTree("{\"metadata\":{\"name\":\"n1\",\"annotations\":{\"a\":\"b\"}}}"));
        JsonNode sent = MessageCodec.contentTree(MetaIdentity.stamp(registration, "id-1"));
        assertEquals("id-1", sent.path("metadata").path("annotations").path(EdgeAnnotations.META_ID).asText());
        assertEquals("b", sent.path("metadata").path("annotations").path("a").asText(), "other annotations stay");
        assertFalse(MessageCodec.contentTree(registration).path("metadata").path("annotations")
                .has(EdgeAnnotations.META_ID), "the requester's message is not changed");
        JsonNode bare = MessageCodec.contentTree(MetaIdentity.stamp(
                Message.create("edged", "meta", "insert", "default/node/n1", MessageCodec.mapper().readTree("{}")), "id-2"));
        assertEquals("id-2", bare.path("metadata").path("annotations").path(EdgeAnnotations.META_ID).asText());
        Message text = Message.create("edged", "meta", "insert", "default/node/n1", "not an object");
        assertSame(text, MetaIdentity.stamp(text, "id-3"));
    }
}
