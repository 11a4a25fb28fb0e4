package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;

/** SyncController's configuration as DS hands it over: defaults, checks, and the feature's copy of the defaults. */
class SyncConfigTest {

    @Test
    void defaultsAreKubeEdgesPeriodPlusOurBounds() {
        assertEquals(new SyncSettings(5, 1000, 10_000, 1000, 10, 30_000, 30),
                SyncSettings.of(TestConfigs.of(SyncControllerConfig.class)));
    }

    @Test
    void aValueBelowItsMinimumKeepsTheComponentInactiveAndSaysWhich() {
        // refused before the client is touched: no API server needed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SyncControllerComponent(
                new RecordingBus(), null, TestLeadership.leading(),
                TestConfigs.of(SyncControllerConfig.class, Map.of("maxPendingWrites", 0))));
        assertTrue(e.getMessage().contains("maxPendingWrites"), e.getMessage());
    }

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(SyncControllerComponent.PID, SyncControllerConfig.class);
    }
}
