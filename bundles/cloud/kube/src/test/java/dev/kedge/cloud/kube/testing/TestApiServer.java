package dev.kedge.cloud.kube.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;

import org.junit.jupiter.api.Assumptions;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * The real kube-apiserver the cloud modules' tests run against: the one {@code KUBECONFIG} names (scripts/test.sh
 * starts one with scripts/kube-up.sh). Shared by their API-server tests through this module's test-jar.
 */
public final class TestApiServer {
    private TestApiServer() {
    }

    /**
     * A client of it, checked to answer. Without a usable {@code KUBECONFIG} the test fails under {@code CI=true} (a
     * test that needs a service never passes without it there) and is aborted, reported as skipped, elsewhere.
     */
    public static KubernetesClient client(String testName) {
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank() || !new File(kubeconfig).isFile()) {
            String why = testName + " needs a real kube-apiserver: set KUBECONFIG to its kubeconfig file"
                    + " (scripts/test.sh starts one with scripts/kube-up.sh); got '" + kubeconfig + "'";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(new File(kubeconfig)))
                .withHttpClientFactory(new JdkHttpClientFactory()).build();
        client.getKubernetesVersion(); // fails the test clearly when the server is not there
        return client;
    }
}
