package dev.kedge.cloud.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * One source for the reliablesyncs.kubeedge.io CRDs: the manifests in {@code deploy/crds/} are what
 * {@link CrdInstaller#definition} installs. {@code -Dkedge.deploy.write=true} rewrites them from the code.
 */
class DeployCrdsTest {
    private static final Path DEPLOY = Path.of(System.getProperty("kedge.deploy.dir", "../../../deploy")).resolve("crds");
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    static Path file(SyncKind k) {
        return DEPLOY.resolve(k.crdName() + ".yaml");
    }

    @Test
    void deployManifestsAreTheInstalledDefinitions() throws Exception {
        for (SyncKind k : SyncKind.values()) {
            CustomResourceDefinition code = CrdInstaller.definition(k);
            Path f = file(k);
            if (Boolean.getBoolean("kedge.deploy.write")) {
                Files.writeString(f, "# Generated from CrdInstaller.definition (bundles/cloud/sync) by DeployCrdsTest with\n"
                        + "# -Dkedge.deploy.write=true: edit the code, not this file.\n" + YAML.asYaml(code));
            }
            assertTrue(Files.isRegularFile(f), f.toAbsolutePath() + " missing: run this test with -Dkedge.deploy.write=true");
            CustomResourceDefinition deployed;
            try (InputStream in = Files.newInputStream(f)) {
                deployed = YAML.unmarshal(in, CustomResourceDefinition.class);
            }
            assertEquals(code, deployed, f + " differs from CrdInstaller.definition(" + k + "): regenerate it with "
                    + "-Dkedge.deploy.write=true");
        }
    }
}
