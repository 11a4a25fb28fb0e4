package dev.kedge.edge.twin.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link TwinConfig}'s defaults: a change to one without the other fails here. */
class TwinFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(TwinComponent.PID, TwinConfig.class);
    }
}
