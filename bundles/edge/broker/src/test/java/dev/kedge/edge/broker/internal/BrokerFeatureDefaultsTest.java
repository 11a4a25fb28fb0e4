package dev.kedge.edge.broker.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link BrokerConfig}'s defaults: a change to one without the other fails here. */
class BrokerFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(BrokerComponent.PID, BrokerConfig.class);
    }
}
