package dev.kedge.cloud.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.cloud.kube.internal.KubeconfigSource.Kind;

/** The order kubectl uses: explicit path, KUBECONFIG, ~/.kube/config, in-cluster; a named but unusable source is an error. */
class KubeconfigResolverTest {
    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();
    private Path home;
    private Path token;
    private Path configured;
    private Path fromEnv;

    @BeforeEach
    void everySourcePresent() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        Files.createDirectories(home.resolve(".kube"));
        Files.writeString(home.resolve(".kube/config"), "home");
        token = Files.writeString(dir.resolve("token"), "sa-token");
        configured = Files.writeString(dir.resolve("configured"), "configured");
        fromEnv = Files.writeString(dir.resolve("env"), "env");
        env.put("KUBECONFIG", fromEnv.toString());
        env.put("KUBERNETES_SERVICE_HOST", "10.0.0.1");
        env.put("KUBERNETES_SERVICE_PORT", "443");
    }

    private KubeconfigSource resolve(String configuredPath) {
        return new KubeconfigResolver(env::get, home, token).resolve(configuredPath);
    }

    @Test
    void explicitPathWinsOverEverything() {
        assertEquals(new KubeconfigSource(Kind.CONFIGURED, List.of(configured)), resolve(configured.toString()));
    }

    @Test
    void thenKubeconfigEnv() {
        assertEquals(new KubeconfigSource(Kind.KUBECONFIG_ENV, List.of(fromEnv)), resolve(""));
        assertEquals(Kind.KUBECONFIG_ENV, resolve("  ").kind(), "a blank path counts as unset");
    }

    @Test
    void kubeconfigEnvIsAListAndMissingEntriesAreSkipped() {
        env.put("KUBECONFIG", dir.resolve("missing") + File.pathSeparator + fromEnv + File.pathSeparator + configured);
        assertEquals(List.of(fromEnv, configured), resolve("").files());
    }

    @Test
    void thenHomeConfig() {
        env.remove("KUBECONFIG");
        assertEquals(new KubeconfigSource(Kind.HOME, List.of(home.resolve(".kube/config"))), resolve(null));
        env.put("KUBECONFIG", "");
        assertEquals(Kind.HOME, resolve(null).kind(), "an empty KUBECONFIG counts as unset");
    }

    @Test
    void thenInCluster() throws IOException {
        env.remove("KUBECONFIG");
        Files.delete(home.resolve(".kube/config"));
        assertEquals(new KubeconfigSource(Kind.IN_CLUSTER, List.of()), resolve(""));
    }

    @Test
    void inClusterNeedsServiceEnvAndToken() throws IOException {
        env.remove("KUBECONFIG");
        Files.delete(home.resolve(".kube/config"));
        env.remove("KUBERNETES_SERVICE_PORT");
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> resolve(""));
        assertTrue(e.getMessage().contains("no Kubernetes configuration found"), e.getMessage());
        env.put("KUBERNETES_SERVICE_PORT", "443");
        Files.delete(token);
        assertThrows(KubeconfigException.class, () -> resolve(""));
    }

    @Test
    void missingExplicitPathIsAnErrorNotAFallback() {
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> resolve(dir.resolve("nope").toString()));
        assertTrue(e.getMessage().contains(dir.resolve("nope") + " (property 'kubeconfig'"), e.getMessage());
    }

    @Test
    void kubeconfigEnvWithoutAnyFileIsAnErrorNotAFallback() {
        env.put("KUBECONFIG", dir.resolve("a") + File.pathSeparator + dir.resolve("b"));
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> resolve(""));
        assertTrue(e.getMessage().startsWith("KUBECONFIG="), e.getMessage());
    }
}
