package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.TestConfigs;

/** EdgeController's configuration as DS hands it over: defaults, checks, and the feature's copy of the defaults. */
class EdgeControllerConfigTest {

    @Test
    void defaultsAreKubeEdgesEdgeController() {
        assertEquals(new Settings(Duration.ofSeconds(10), 4, 1024, 10_000, Duration.ofSeconds(5),
                Duration.ofSeconds(30)), Settings.of(TestConfigs.of(EdgeControllerConfig.class)));
    }

    @Test
    void aValueBelowItsMinimumKeepsTheComponentInactiveAndSaysWhich() {
        // refused before the client is touched: no API server needed
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new EdgeControllerComponent(
                new RecordingBus(), null, TestConfigs.of(EdgeControllerConfig.class, Map.of("eventQueueSize", 8))));
        assertTrue(e.getMessage().contains("eventQueueSize"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Settings.of(
                TestConfigs.of(EdgeControllerConfig.class, Map.of("upstreamWorkers", 0))));
        assertTrue(e.getMessage().contains("upstreamWorkers"), e.getMessage());
    }

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(EdgeControllerComponent.PID, EdgeControllerConfig.class);
    }
}
