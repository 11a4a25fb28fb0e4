package dev.kedge.monitor.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link EdgeMonitorConfig}'s defaults: a change to one without the other fails here. */
class EdgeMonitorFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.edge.monitor", EdgeMonitorConfig.class);
    }
}
