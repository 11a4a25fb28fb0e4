package dev.kedge.core.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link BusConfig}'s defaults: a change to one without the other fails here. */
class BusFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.core.bus", BusConfig.class);
    }
}
