package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import dev.kedge.core.testing.FreePorts;

/**
 * kedge-cloud-monitor in the cloud distribution against the real API server: /readyz is ready once the API server
 * answers and CloudHub serves, /metrics carries CloudHub's and the controllers' counters, and a stranger's idle
 * connection to the WebSocket port is cut at the handshake deadline and counted. A missing KUBECONFIG fails every
 * test with the reason; it never skips.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CloudMonitorFeatureIT extends KedgeTestSupport {
    private static final String KUBECONFIG_PROPERTY = "kedge.itest.kubeconfig";
    private static final String PORT_PROPERTY = "kedge.itest.monitor";
    private static final String WS_PORT_PROPERTY = "kedge.itest.ws";

    @Configuration
    public Option[] config() throws Exception {
        String kubeconfig = System.getenv("KUBECONFIG");
        String port = String.valueOf(FreePorts.belowEphemeral());
        String ws = String.valueOf(FreePorts.belowEphemeral());
        List<Option> options = new ArrayList<>(List.of(distribution("cloud")));
        options.add(systemProperty(KUBECONFIG_PROPERTY).value(kubeconfig == null ? "" : kubeconfig));
        if (kubeconfig != null && !kubeconfig.isEmpty()) {
            options.add(editConfigurationFilePut("etc/dev.kedge.cloud.kube.cfg", "kubeconfig", kubeconfig));
        }
        options.add(editConfigurationFilePut("etc/dev.kedge.cloud.monitor.cfg", "port", port));
        options.add(editConfigurationFilePut("etc/dev.kedge.cloud.hub.cfg", "websocketPort", ws));
        options.add(editConfigurationFilePut("etc/dev.kedge.cloud.hub.cfg", "httpsPort",
                String.valueOf(FreePorts.belowEphemeral())));
        options.add(systemProperty(PORT_PROPERTY).value(port));
        options.add(systemProperty(WS_PORT_PROPERTY).value(ws));
        return options.toArray(new Option[0]);
    }

    private static int port() {
        String kubeconfig = System.getProperty(KUBECONFIG_PROPERTY, "");
        if (kubeconfig.isEmpty() || !Files.exists(Path.of(kubeconfig))) {
            fail("KUBECONFIG must point at the test API server (scripts/test.sh starts one with scripts/kube-up.sh)");
        }
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private MonitorHttp.Answer awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                MonitorHttp.Answer a = MonitorHttp.get(port(), path);
                if (a.status() == status) {
                    return a;
                }
                last = a.status() + " " + a.body();
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        fail(path + " never answered " + status + ": " + last);
        return null;
    }

    @Test
    public void readyOnceTheApiServerAnswersAndCloudHubServes() throws Exception {
        assertEquals("ok\n", awaitStatus("/healthz", 200).body());
        String body = awaitStatus("/readyz", 200).body();
        assertTrue(body, body.contains("[+] kube: API server "));
        assertTrue(body, body.contains("[+] cloudhub: serving"));
        assertTrue(body, body.endsWith("ready\n"));
    }

    @Test
    public void metricsCarryTheCloudModulesCounters() throws Exception {
        awaitStatus("/readyz", 200);
        String body = awaitStatus("/metrics", 200).body();
        for (String family : List.of("kedge_cloudhub_connected_nodes", "kedge_cloudhub_ws_refused_per_address_total",
                "kedge_cloudhub_ws_pending_connections", "kedge_cloudhub_queued_messages", "kedge_kube_reachable",
                "kedge_bus_delivered_total", "kedge_synccontroller_writes_total")) {
            assertTrue(family + " in\n" + body, body.contains("# TYPE " + family + " "));
        }
        assertEquals(1, MonitorHttp.sample(body, "kedge_kube_reachable"), 0);
    }

    @Test
    public void anIdleStrangerOnTheWebSocketPortIsCutAtTheDeadlineAndCounted() throws Exception {
        awaitStatus("/readyz", 200);
        String series = "kedge_cloudhub_ws_closed_at_deadline_total";
        double before = MonitorHttp.sample(MonitorHttp.get(port(), "/metrics").body(), series);
        long t0 = System.nanoTime();
        try (Socket idle = new Socket()) {
            idle.connect(new InetSocketAddress("127.0.0.1", Integer.getInteger(WS_PORT_PROPERTY)), 5000);
            idle.setSoTimeout(20_000);
            int read;
            try {
                read = idle.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertEquals("the server closed the idle connection", -1, read);
        }
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue("cut after " + ms + " ms (deadline 5000)", ms >= 4000 && ms < 15_000);
        double after = MonitorHttp.sample(MonitorHttp.get(port(), "/metrics").body(), series);
        assertEquals(series, before + 1, after, 0);
        String stats = executeCommand("cloudhub:stats");
        assertTrue(stats, stats.contains("wsClosedAtDeadline"));
    }
}
