package dev.kedge.device.host.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link HostConfig}'s defaults: a change to one without the other fails here. */
class HostFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(HostComponent.PID, HostConfig.class);
    }
}
