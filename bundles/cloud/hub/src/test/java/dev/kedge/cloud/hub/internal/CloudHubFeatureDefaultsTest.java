package dev.kedge.cloud.hub.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link CloudHubConfig}'s defaults: a change to one without the other fails here. */
class CloudHubFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.cloud.hub", CloudHubConfig.class);
    }
}
