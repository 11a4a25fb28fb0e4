package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code <node>.<uid>}, where node names may hold dots and UIDs do not. */
class ObjectSyncNamesTest {

    @Test
    void buildsNodeDotUid() {
        assertEquals("edge-1.0b6f3a1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b",
                ObjectSyncNames.name("edge-1", "0b6f3a1e-2c4d-4e5f-8a9b-0c1d2e3f4a5b"));
    }

    @Test
    void nodeIsEverythingBeforeTheLastDot() {
        String name = ObjectSyncNames.name("edge.zone-a.example", "u-1");
        assertEquals("edge.zone-a.example", ObjectSyncNames.node(name));
        assertEquals("u-1", ObjectSyncNames.uid(name));
    }

    @Test
    void malformedNamesGiveEmptyParts() {
        for (String bad : new String[] {"nodot", ".uid", "node.", ""}) {
            assertEquals("", ObjectSyncNames.node(bad), bad);
            assertEquals("", ObjectSyncNames.uid(bad), bad);
        }
    }

    @Test
    void refusesMissingPartsAndDottedUids() {
        assertThrows(IllegalArgumentException.class, () -> ObjectSyncNames.name("", "u"));
        assertThrows(IllegalArgumentException.class, () -> ObjectSyncNames.name("n", ""));
        assertThrows(IllegalArgumentException.class, () -> ObjectSyncNames.name("n", "a.b"));
    }
}
