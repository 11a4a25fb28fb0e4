package dev.kedge.edge.hub.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link EdgeHubConfig}'s defaults: a change to one without the other fails here. */
class EdgeHubFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(EdgeHubComponent.PID, EdgeHubConfig.class);
    }
}
