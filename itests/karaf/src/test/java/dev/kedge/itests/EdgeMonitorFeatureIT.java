package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

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
import org.osgi.framework.ServiceRegistration;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.testing.FreePorts;

/**
 * kedge-edge-monitor in the edge distribution (not joined, no cloud): /healthz answers, /metrics is Prometheus text
 * with the modules' counters and a bus counter moves when messages flow, /readyz says why it is not ready, bad
 * requests get 404/405, monitor:status shows it all.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EdgeMonitorFeatureIT extends KedgeTestSupport {
    private static final String PORT_PROPERTY = "kedge.itest.monitor";

    @Configuration
    public Option[] config() throws Exception {
        String port = String.valueOf(FreePorts.belowEphemeral());
        List<Option> options = new ArrayList<>(List.of(distribution("edge")));
        options.add(editConfigurationFilePut("etc/dev.kedge.edge.monitor.cfg", "port", port));
        // a free broker port too, so a Kedge edge already running here does not matter
        String mqtt = String.valueOf(FreePorts.belowEphemeral());
        options.add(editConfigurationFilePut("etc/dev.kedge.edge.broker.cfg", "port", mqtt));
        options.add(editConfigurationFilePut("etc/dev.kedge.edge.eventbus.cfg", "mqttServerInternal", "tcp://127.0.0.1:" + mqtt));
        options.add(systemProperty(PORT_PROPERTY).value(port));
        return options.toArray(new Option[0]);
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private MonitorHttp.Answer awaitStatus(String path, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                MonitorHttp.Answer a = MonitorHttp.get(port(), path);
                if (a.status() == status) {
                    return a;
                }
                last = a.status() + " " + a.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            }
            Thread.sleep(200);
        }
        fail(path + " never answered " + status + ": " + last);
        return null;
    }

    @Test
    public void healthzAndMetricsAnswerInPrometheusTextFormat() throws Exception {
        MonitorHttp.Answer health = awaitStatus("/healthz", 200);
        assertEquals("ok\n", health.body());
        MonitorHttp.Answer metrics = awaitStatus("/metrics", 200);
        assertTrue(metrics.head(), metrics.head().contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"));
        String body = metrics.body();
        for (String family : List.of("kedge_bus_mailbox_depth", "kedge_store_writes_total", "kedge_edgehub_connected",
                "kedge_meta_rows", "kedge_twin_devices", "kedge_edged_pods", "kedge_broker_connections",
                "kedge_monitor_requests_total", "kedge_process_threads")) {
            assertTrue(family + " in\n" + body, body.contains("# TYPE " + family + " "));
        }
        assertTrue(body, body.contains("# TYPE kedge_store_writes_total counter\n"));
        assertTrue(body, body.contains("# HELP kedge_bus_mailbox_depth "));
        for (String line : body.split("\n")) {
            assertTrue("every line is a comment or a sample: " + line,
                    line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.matches("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{.*\\})? \\S+"));
        }
    }

    @Test
    public void aBusCounterMovesWhenMessagesFlow() throws Exception {
        awaitStatus("/metrics", 200);
        ServiceRegistration<Module> probe = registerModule("monitorprobe", "monitorprobe", m -> { });
        try {
            MessageBus bus = bundleContext.getService(bundleContext.getServiceReference(MessageBus.class));
            String series = "kedge_bus_delivered_total{module=\"monitorprobe\"}";
            for (int i = 0; i < 25; i++) {
                bus.send("monitorprobe", Message.create("itest", "monitorprobe", "update", "probe/" + i, "x"));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            double delivered = -1;
            while (System.nanoTime() < deadline && delivered < 25) {
                delivered = MonitorHttp.sample(MonitorHttp.get(port(), "/metrics").body(), series);
                Thread.sleep(100);
            }
            assertEquals(series, 25, delivered, 0);
        } finally {
            probe.unregister();
        }
    }

    @Test
    public void readyzExplainsWhyANodeNeverJoinedIsNotReady() throws Exception {
        MonitorHttp.Answer ready = awaitStatus("/readyz", 503);
        assertTrue(ready.body(), ready.body().contains("[-] edgehub: not joined: run kedge:join"));
        assertTrue(ready.body(), ready.body().contains("[+] store: open: "));
        assertTrue(ready.body(), ready.body().endsWith("not ready\n"));
    }

    @Test
    public void otherMethodsAndPathsAreRefused() throws Exception {
        awaitStatus("/healthz", 200);
        MonitorHttp.Answer post = MonitorHttp.request(port(), "POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assertEquals(405, post.status());
        assertTrue(post.head(), post.head().contains("Allow: GET"));
        assertEquals(404, MonitorHttp.get(port(), "/admin").status());
        String big = "GET /metrics HTTP/1.1\r\nX-Filler: " + "a".repeat(9000) + "\r\n\r\n";
        assertEquals(431, MonitorHttp.request(port(), big).status());
    }

    @Test
    public void monitorStatusShowsTheEndpointAndItsChecks() throws Exception {
        awaitStatus("/healthz", 200);
        String status = executeCommand("monitor:status");
        assertTrue(status, status.contains("http://127.0.0.1:" + port()));
        assertTrue(status, status.contains("edgehub"));
        assertTrue(status, status.contains("store"));
        String metrics = executeCommand("monitor:status --metrics");
        assertTrue(metrics, metrics.contains("# TYPE kedge_bus_delivered_total counter"));
    }
}
