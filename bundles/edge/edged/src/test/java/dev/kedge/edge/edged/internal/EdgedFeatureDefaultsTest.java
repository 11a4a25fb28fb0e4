package dev.kedge.edge.edged.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link EdgedConfig}'s defaults: a change to one without the other fails here. */
class EdgedFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(EdgedComponent.PID, EdgedConfig.class);
    }
}
