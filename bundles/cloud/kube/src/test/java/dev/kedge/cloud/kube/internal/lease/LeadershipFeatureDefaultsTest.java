package dev.kedge.cloud.kube.internal.lease;

import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link LeadershipConfig}'s defaults: a change to one without the other fails here. */
class LeadershipFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches("dev.kedge.cloud.kube.leader", LeadershipConfig.class);
    }
}
