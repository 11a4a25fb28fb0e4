package dev.kedge.cloud.kube.internal;

import org.junit.jupiter.api.Test;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.core.testing.FeatureConfigs;

/** The feature installs {@link KubeClientConfig}'s defaults: a change to one without the other fails here. */
class KubeClientFeatureDefaultsTest {

    @Test
    void featureInstallsTheAnnotationsDefaults() {
        FeatureConfigs.assertMatches(KubeClients.PID, KubeClientConfig.class);
    }
}
