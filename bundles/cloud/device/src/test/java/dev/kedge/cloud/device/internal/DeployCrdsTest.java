package dev.kedge.cloud.device.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * One source for the devices.kubeedge.io CRDs: the manifests in {@code deploy/crds/} are byte for byte the bundle's
 * resources that {@link DeviceCrds} installs. {@code -Dkedge.deploy.write=true} copies them there.
 */
class DeployCrdsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("kedge.deploy.dir", "../../../deploy")).resolve("crds");

    @Test
    void deployManifestsAreTheBundlesResources() throws Exception {
        for (ResourceDefinitionContext kind : DeviceCrds.KINDS) {
            byte[] bundled;
            try (InputStream in = DeviceCrds.class.getResourceAsStream(kind.getPlural() + ".yaml")) {
                assertNotNull(in, kind.getPlural() + ".yaml missing from the bundle");
                bundled = in.readAllBytes();
            }
            Path f = DEPLOY.resolve(DeviceKinds.crdName(kind) + ".yaml");
            if (Boolean.getBoolean("kedge.deploy.write")) {
                Files.write(f, bundled);
            }
            assertTrue(Files.isRegularFile(f), f.toAbsolutePath() + " missing: run this test with -Dkedge.deploy.write=true");
            assertArrayEquals(bundled, Files.readAllBytes(f), f + " differs from the bundle's " + kind.getPlural()
                    + ".yaml (bundles/cloud/device/src/main/resources): copy it with -Dkedge.deploy.write=true");
        }
    }
}
