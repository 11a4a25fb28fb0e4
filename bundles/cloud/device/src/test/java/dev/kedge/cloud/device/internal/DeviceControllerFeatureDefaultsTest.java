package dev.kedge.cloud.device.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link DeviceControllerConfig}'s defaults: a change to one without the other fails here. */
class DeviceControllerFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.cloud.device", DeviceControllerConfig.class);
    }
}
