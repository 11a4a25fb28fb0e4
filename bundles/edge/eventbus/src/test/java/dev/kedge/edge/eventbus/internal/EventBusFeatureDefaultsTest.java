package dev.kedge.edge.eventbus.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link EventBusConfig}'s defaults: a change to one without the other fails here. */
class EventBusFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(EventBusComponent.PID, EventBusConfig.class);
    }
}
