package dev.kedge.edge.meta.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FeatureConfigs;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/** MetaManager's configuration as DS hands it over: defaults, checks, and the feature's copy of the defaults. */
class MetaConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreKubeEdgesMetaManager() {
        MetaSettings s = MetaSettings.of(TestConfigs.of(MetaConfig.class));
        assertEquals(new MetaSettings(Duration.ofSeconds(60), 4, 256, 4096), s);
    }

    @Test
    void aBadValueKeepsTheComponentInactiveAndSaysWhich() {
        try (SqliteStore store = TestStores.open(dir.resolve("edgecore.db"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MetaManagerComponent(new RecordingBus(), store,
                            TestConfigs.of(MetaConfig.class, Map.of("remoteWorkers", "0"))));
            assertTrue(e.getMessage().contains("remoteWorkers"), e.getMessage());
        }
    }

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(MetaManagerComponent.PID, MetaConfig.class);
    }
}
