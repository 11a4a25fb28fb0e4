package dev.kedge.cloud.kube.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.cloud.kube.internal.KubeconfigSource.Kind;
import io.fabric8.kubernetes.client.Config;

/** Kubeconfig files to fabric8 Config: contexts as kubectl picks them, clear errors, our timeouts applied. */
class ClientConfigsTest {
    @TempDir
    Path dir;

    private Path kubeconfig(String name, String current, String... contexts) throws IOException {
        StringBuilder y = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
        for (String c : contexts) {
            y.append("- {name: ").append(c).append(", cluster: {server: \"https://").append(c).append(".example:6443\"}}\n");
        }
        y.append("users:\n- {name: u, user: {token: t}}\ncontexts:\n");
        for (String c : contexts) {
            y.append("- {name: ").append(c).append(", context: {cluster: ").append(c).append(", user: u, namespace: ns-")
                    .append(c).append("}}\n");
        }
        y.append("current-context: ").append(current).append('\n');
        return Files.writeString(dir.resolve(name), y);
    }

    private static Config config(Kind kind, String context, Path... files) {
        return ClientConfigs.from(new KubeconfigSource(kind, List.of(files)), new TestKubeClientConfig("", context));
    }

    @Test
    void currentContextAndOurTimeouts() throws IOException {
        Config c = config(Kind.HOME, "", kubeconfig("k", "a", "a", "b"));
        assertEquals("https://a.example:6443/", c.getMasterUrl());
        assertEquals("ns-a", c.getNamespace());
        assertEquals(1_234, c.getConnectionTimeout());
        assertEquals(5_678, c.getRequestTimeout());
        assertEquals(3, c.getRequestRetryBackoffLimit());
        assertEquals(50, c.getRequestRetryBackoffInterval());
    }

    @Test
    void namespaceDefaultsLikeKubectl() throws IOException {
        Path k = Files.writeString(dir.resolve("nons"), "apiVersion: v1\nkind: Config\n"
                + "clusters: [{name: c, cluster: {server: \"https://c:6443\"}}]\nusers: [{name: u, user: {token: t}}]\n"
                + "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n");
        assertEquals("default", config(Kind.HOME, "", k).getNamespace());
    }

    @Test
    void namedContext() throws IOException {
        assertEquals("https://b.example:6443/", config(Kind.CONFIGURED, "b", kubeconfig("k", "a", "a", "b")).getMasterUrl());
    }

    @Test
    void unknownContextIsAnError() throws IOException {
        Path k = kubeconfig("k", "a", "a");
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> config(Kind.CONFIGURED, "zz", k));
        assertTrue(e.getMessage().contains("context 'zz' is not in kubeconfig " + k), e.getMessage());
    }

    @Test
    void unparseableFileIsAnError() throws IOException {
        Path k = Files.writeString(dir.resolve("bad"), "clusters: [ {{{ not yaml");
        KubeconfigException e = assertThrows(KubeconfigException.class, () -> config(Kind.CONFIGURED, "", k));
        assertTrue(e.getMessage().startsWith("kubeconfig " + k + " (configured) cannot be used"), e.getMessage());
    }

    @Test
    void noCurrentContextIsAnError() throws IOException {
        Path k = kubeconfig("k", "\"\"", "a");
        assertThrows(KubeconfigException.class, () -> config(Kind.HOME, "", k));
    }

    @Test
    void kubeconfigListMergesFirstFileWins() throws IOException {
        Path first = kubeconfig("first", "b", "b");
        Path second = kubeconfig("second", "a", "a", "c");
        Config c = config(Kind.KUBECONFIG_ENV, "", first, second);
        assertEquals("https://b.example:6443/", c.getMasterUrl(), "current-context of the first file");
        assertEquals("https://c.example:6443/", config(Kind.KUBECONFIG_ENV, "c", first, second).getMasterUrl());
    }
}
