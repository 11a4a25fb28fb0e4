package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Filter;
import org.osgi.util.tracker.ServiceTracker;

import dev.kedge.cloud.kube.KubeClients;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The cloud distribution against a real kube-apiserver (scripts/kube-up.sh; its KUBECONFIG comes from the test JVM):
 * the shared client service appears, writes and reads objects, and kube:info reports the server. A missing
 * KUBECONFIG fails every test with the reason; it never skips.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CloudKubeFeatureIT extends KedgeTestSupport {
    private static final String KUBECONFIG_PROPERTY = "kedge.itest.kubeconfig";
    private static final long SERVICE_WAIT_MS = 60_000;

    @Configuration
    public Option[] config() {
        String kubeconfig = System.getenv("KUBECONFIG");
        List<Option> options = new ArrayList<>(List.of(distribution("cloud")));
        // handed on as a property even when empty, so the failure is reported by the tests, with its reason
        options.add(systemProperty(KUBECONFIG_PROPERTY).value(kubeconfig == null ? "" : kubeconfig));
        if (kubeconfig != null && !kubeconfig.isEmpty()) {
            options.add(editConfigurationFilePut("etc/dev.kedge.cloud.kube.cfg", "kubeconfig", kubeconfig));
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void clientReachesTheApiServer() throws Exception {
        assertEquals("v1.20.2", client().getKubernetesVersion().getGitVersion());
    }

    @Test
    public void createsAndReadsBackAConfigMap() throws Exception {
        KubernetesClient client = client();
        // no kube-controller-manager in tests: a deleted namespace never goes away, so each run uses a new one
        String ns = "kedge-itest-" + Long.toString(System.currentTimeMillis(), 36);
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
        client.configMaps().inNamespace(ns).resource(new ConfigMapBuilder().withNewMetadata().withName("cm1").endMetadata()
                .withData(Map.of("greeting", "hello from kedge")).build()).create();

        ConfigMap read = client.configMaps().inNamespace(ns).withName("cm1").get();
        assertNotNull("ConfigMap cm1 read back from " + ns, read);
        assertEquals(Map.of("greeting", "hello from kedge"), read.getData());
        assertTrue(client.namespaces().list().getItems().stream().anyMatch(n -> ns.equals(n.getMetadata().getName())));
        client.namespaces().withName(ns).delete();
    }

    @Test
    public void edgeAndSyncControllersRunAndOwnTheObjectSyncCrds() throws Exception {
        KubernetesClient client = client();
        String modules = "";
        boolean active = false;
        for (int i = 0; i < 150 && !active; i++) {
            modules = executeCommand("bus:modules");
            active = modules.matches("(?s).*edgecontroller\\s*\\|\\s*edgecontroller\\s*\\|\\s*ACTIVE.*")
                    && modules.matches("(?s).*synccontroller\\s*\\|\\s*synccontroller\\s*\\|\\s*ACTIVE.*");
            Thread.sleep(active ? 0 : 200);
        }
        assertTrue("EdgeController and SyncController are active bus modules: " + modules, active);
        for (String crd : new String[] {"objectsyncs.reliablesyncs.kubeedge.io", "clusterobjectsyncs.reliablesyncs.kubeedge.io"}) {
            io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition d = null;
            for (int i = 0; i < 150 && d == null; i++) {
                d = client.apiextensions().v1().customResourceDefinitions().withName(crd).get();
                if (d == null) {
                    Thread.sleep(200);
                }
            }
            assertNotNull(crd + " installed by SyncController", d);
        }
        String stats = executeCommand("sync:stats") + executeCommand("edgecontroller:stats");
        assertFalse("sync:stats and edgecontroller:stats answer: " + stats, stats.toLowerCase().contains("command not found"));
    }

    @Test
    public void kubeInfoReportsTheServer() throws Exception {
        client();
        String info = executeCommand("kube:info");
        assertTrue("kube:info shows the server version: " + info, info.matches("(?s).*Version\\s+v1\\.20\\.2\\b.*"));
        assertTrue("kube:info counts namespaces: " + info, info.matches("(?s).*Namespaces\\s+\\d+.*"));
        assertTrue("kube:info shows where the configuration came from: " + info,
                info.contains(System.getProperty(KUBECONFIG_PROPERTY) + " (configured)"));
    }

    /** An operator points the client at a missing file: the service goes, kube:info says why; fixing it brings it back. */
    @Test
    public void badKubeconfigIsReportedAndRecoverable() throws Exception {
        client();
        String good = System.getProperty(KUBECONFIG_PROPERTY);
        executeCommand("config:property-set -p " + KubeClients.PID + " kubeconfig /nonexistent/kubeconfig");
        try {
            assertNull("the client service goes away", awaitClient(false));
            // SCR records the failure when something asks for the client (kube:info, or EdgeController and
            // SyncController re-binding): poll until it shows
            String expected = "kubeconfig /nonexistent/kubeconfig (property 'kubeconfig' of dev.kedge.cloud.kube) is not a readable file";
            String info = executeCommand("kube:info");
            for (int i = 0; i < 100 && !info.contains(expected); i++) {
                Thread.sleep(200);
                info = executeCommand("kube:info");
            }
            assertTrue("kube:info names the bad path: " + info, info.contains(expected));
            String leader = executeCommand("kube:leader");
            assertTrue("kube:leader says why there is no election: " + leader, leader.contains("No leader election running"));
        } finally {
            executeCommand("config:property-set -p " + KubeClients.PID + " kubeconfig " + good);
        }
        assertEquals("v1.20.2", client().getKubernetesVersion().getGitVersion());
    }

    private KubernetesClient client() throws Exception {
        String kubeconfig = System.getProperty(KUBECONFIG_PROPERTY, "");
        assertFalse("KUBECONFIG is not set: start the test API server with scripts/kube-up.sh and export what it prints "
                + "(scripts/test.sh does both)", kubeconfig.isEmpty());
        assertTrue("KUBECONFIG=" + kubeconfig + " does not exist", Files.isRegularFile(Path.of(kubeconfig)));
        KubernetesClient client = awaitClient(true);
        assertNotNull("no KubernetesClient " + KubeClients.DEFAULT_FILTER + " within " + SERVICE_WAIT_MS + " ms; kube:info says: "
                + executeCommand("kube:info"), client);
        return client;
    }

    /** Waits until the shared client is registered (present = true) or gone (present = false); returns what is there. */
    private KubernetesClient awaitClient(boolean present) throws Exception {
        Filter filter = bundleContext.createFilter(
                "(&(objectClass=" + KubernetesClient.class.getName() + ")" + KubeClients.DEFAULT_FILTER + ")");
        ServiceTracker<KubernetesClient, KubernetesClient> tracker = new ServiceTracker<>(bundleContext, filter, null);
        tracker.open();
        try {
            long deadline = System.currentTimeMillis() + SERVICE_WAIT_MS;
            while ((tracker.getService() != null) != present && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            return tracker.getService();
        } finally {
            tracker.close();
        }
    }
}
