package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.ArrayList;
import java.util.List;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

/**
 * The edge distribution's CRI bundle against a real containerd ({@code KEDGE_CRI_ENDPOINT}, started by
 * scripts/test.sh): it resolves with Karaf alone (its gRPC and protobuf code are its own), registers the
 * ContainerRuntime service, and cri:info reports the runtime; a bad endpoint in edged's configuration is
 * reported and fixing it recovers without restarting anything. A missing endpoint fails, never skips.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CriFeatureIT extends KedgeTestSupport {
    private static final String ENDPOINT_PROPERTY = "kedge.itest.cri";
    private static final String EDGED_PID = "dev.kedge.edge.edged";
    private static final String RUNTIME_SERVICE = "dev.kedge.edge.cri.ContainerRuntime";

    @Configuration
    public Option[] config() {
        String endpoint = System.getenv("KEDGE_CRI_ENDPOINT");
        List<Option> options = new ArrayList<>(List.of(distribution("edge")));
        options.add(systemProperty(ENDPOINT_PROPERTY).value(endpoint == null ? "" : endpoint));
        if (endpoint != null && !endpoint.isEmpty()) {
            options.add(editConfigurationFilePut("etc/" + EDGED_PID + ".cfg", "remoteRuntimeEndpoint", endpoint));
            options.add(editConfigurationFilePut("etc/" + EDGED_PID + ".cfg", "remoteImageEndpoint", endpoint));
        }
        return options.toArray(new Option[0]);
    }

    @Test
    public void bundleResolvesAloneAndRegistersTheService() throws Exception {
        endpoint();
        Bundle cri = null;
        for (Bundle b : bundleContext.getBundles()) {
            if ("dev.kedge.edge.cri".equals(b.getSymbolicName())) {
                cri = b;
            }
        }
        assertNotNull("dev.kedge.edge.cri is installed by the kedge-edge feature", cri);
        assertEquals("dev.kedge.edge.cri is active", Bundle.ACTIVE, cri.getState());
        assertNotNull("the ContainerRuntime service is registered", awaitService());
    }

    @Test
    public void criInfoReportsTheRuntime() throws Exception {
        String endpoint = endpoint();
        awaitService();
        String info = executeCommand("cri:info");
        assertTrue("cri:info shows the endpoint: " + info, info.contains(endpoint));
        assertTrue("cri:info shows containerd: " + info, info.matches("(?s).*Runtime\\s*\\|\\s*containerd .*"));
        assertTrue("cri:info shows the CRI API: " + info, info.matches("(?s).*CRI API\\s*\\|\\s*v1.*"));
        assertTrue("cri:info shows RuntimeReady: " + info, info.matches("(?s).*RuntimeReady\\s*\\|\\s*true.*"));
        // real containerd speaks the protocol: calls counted, none broken
        assertTrue("cri:info counts the calls: " + info, info.matches("(?s).*Calls\\s*\\|\\s*[1-9].*"));
        assertTrue("cri:info: no protocol errors with containerd: " + info,
                info.matches("(?s).*protocol errors\\s*\\|\\s*0\\b.*"));
        String images = executeCommand("cri:images");
        assertTrue("cri:images lists the test image: " + images, images.contains("kedge-busybox:1"));
        long cri = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("kedge-cri-"))
                .count();
        assertEquals("the CRI client calls on its callers' threads: no thread of its own", 0, cri);
    }

    @Test
    public void badEndpointIsReportedAndFixingItRecovers() throws Exception {
        String endpoint = endpoint();
        awaitService();
        executeCommand("config:property-set -p " + EDGED_PID + " remoteRuntimeEndpoint tcp://127.0.0.1:1");
        try {
            String info = "";
            for (int i = 0; i < 100 && !info.contains("invalid configuration"); i++) {
                Thread.sleep(100);
                info = executeCommand("cri:info");
            }
            assertTrue("cri:info names the bad key: " + info, info.contains("remoteRuntimeEndpoint"));
            assertTrue("cri:info says why: " + info, info.contains("not a unix socket endpoint"));
        } finally {
            executeCommand("config:property-set -p " + EDGED_PID + " remoteRuntimeEndpoint " + endpoint);
        }
        String info = "";
        for (int i = 0; i < 100 && !info.matches("(?s).*RuntimeReady\\s*\\|\\s*true.*"); i++) {
            Thread.sleep(100);
            info = executeCommand("cri:info");
        }
        assertTrue("the runtime is back after the fix: " + info, info.matches("(?s).*RuntimeReady\\s*\\|\\s*true.*"));
    }

    private String endpoint() {
        String endpoint = System.getProperty(ENDPOINT_PROPERTY, "");
        if (endpoint.isEmpty()) {
            fail("KEDGE_CRI_ENDPOINT must name a running containerd's socket (scripts/test.sh starts one)");
        }
        return endpoint;
    }

    private ServiceReference<?> awaitService() throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try {
                ServiceReference<?>[] refs = bundleContext.getAllServiceReferences(RUNTIME_SERVICE, null);
                if (refs != null && refs.length > 0) {
                    return refs[0];
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(100);
        }
        fail("no " + RUNTIME_SERVICE + " service within 30 s");
        return null;
    }
}
