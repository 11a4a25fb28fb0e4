package dev.kedge.edge.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FeatureConfigs;
import dev.kedge.core.testing.TestConfigs;

/** The store's configuration as DS hands it over: defaults, checks, and the feature's copy of the defaults. */
class StoreConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsPutTheFileUnderKarafData() {
        System.setProperty("karaf.data", dir.toString());
        try {
            StoreSettings s = StoreSettings.of(TestConfigs.of(StoreConfig.class));
            assertEquals(dir.resolve("kedge/edgecore.db"), s.file());
            assertEquals(Duration.ofSeconds(5), s.busyTimeout());
            assertEquals(4096, s.queueCapacity());
            assertEquals(Duration.ofSeconds(2), s.queueWait());
            assertEquals(1000, s.maxBatch());
            assertEquals(4, s.readConnections());
            assertEquals(Duration.ofSeconds(60), s.migrateTimeout());
            assertFalse(s.quarantine());
        } finally {
            System.clearProperty("karaf.data");
        }
    }

    @Test
    void badValuesKeepTheStoreClosedAndSayWhich() {
        Path file = dir.resolve("edgecore.db");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SqliteStore(
                TestConfigs.of(StoreConfig.class, Map.of("dataSource", file.toString(), "onCorruption", "ignore"))));
        assertTrue(e.getMessage().contains("onCorruption"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SqliteStore(
                TestConfigs.of(StoreConfig.class, Map.of("dataSource", "${no.such}/x.db"))));
        assertTrue(e.getMessage().contains("placeholder"), e.getMessage());
        assertFalse(Files.exists(file), "nothing was created");
    }

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(SqliteStore.PID, StoreConfig.class);
    }
}
