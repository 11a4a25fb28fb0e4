package dev.kedge.monitor.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link CloudMonitorConfig}'s defaults: a change to one without the other fails here. */
class CloudMonitorFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.cloud.monitor", CloudMonitorConfig.class);
    }
}
