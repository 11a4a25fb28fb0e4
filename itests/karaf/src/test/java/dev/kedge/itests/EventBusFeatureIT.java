package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.LinkedBlockingQueue;
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
import dev.kedge.core.Module;

/**
 * The edge distribution's embedded broker and EventBus (Kedge's default, mqttMode 0) as a mapper meets them:
 * mosquitto_pub's twin update reaches the twin group with KubeEdge's route, eventbus:publish reaches mosquitto_sub,
 * and the operator commands show the connection.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventBusFeatureIT extends KedgeTestSupport {
    private static final String PORT_PROPERTY = "kedge.itest.mqtt";

    @Configuration
    public Option[] config() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Option[] base = distribution("edge");
        Option[] all = java.util.Arrays.copyOf(base, base.length + 3);
        all[base.length] = editConfigurationFilePut("etc/dev.kedge.edge.broker.cfg", "port", String.valueOf(port));
        all[base.length + 1] = editConfigurationFilePut("etc/dev.kedge.edge.eventbus.cfg", "mqttServerInternal",
                "tcp://127.0.0.1:" + port);
        all[base.length + 2] = systemProperty(PORT_PROPERTY).value(String.valueOf(port));
        return all;
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    private String awaitCommand(String command, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = executeCommand(command);
            if (out.contains(expected)) {
                return out;
            }
            Thread.sleep(200);
        }
        fail(command + " never showed \"" + expected + "\": " + out);
        return out;
    }

    @Test
    public void brokerAndEventBusRunAndShowTheirState() throws Exception {
        String status = awaitCommand("eventbus:status", "CONNECTED");
        assertTrue(status, status.contains("Mode 0 (internal)"));
        // EventBus works inside the embedded broker (internalInProcess, the default): no client connection
        assertTrue(status, status.contains("in-process:tcp://127.0.0.1:" + port()));
        String clients = awaitCommand("broker:clients", "hub-client-sub-");
        assertTrue(clients, clients.contains("in-process"));
        String stats = executeCommand("broker:stats");
        assertTrue(stats, stats.contains("RUNNING"));
        String topics = executeCommand("eventbus:topics");
        assertTrue(topics, topics.contains("$hw/events/device/+/+/twin/+"));
        assertTrue(topics, topics.contains("$hw/events/device/+/twin/+"));
    }

    @Test
    public void twinUpdateFromMosquittoPubReachesTheTwinGroup() throws Exception {
        awaitCommand("eventbus:status", "CONNECTED");
        assertMapperReachesTwin("it-1");
    }

    /** The broker's bundle restarted live: EventBus attaches to the new broker in process and mappers get through. */
    @Test
    public void brokerBundleRestartedLiveEventBusAttachesAgain() throws Exception {
        awaitCommand("eventbus:status", "CONNECTED");
        String out = executeCommand("bundle:restart dev.kedge.edge.broker");
        assertTrue(out, !out.toLowerCase().contains("error"));
        awaitCommand("broker:stats", "RUNNING");
        awaitCommand("broker:clients", "in-process");
        awaitCommand("eventbus:status", "CONNECTED");
        assertMapperReachesTwin("it-after-restart");
    }

    private void assertMapperReachesTwin(String eventId) throws Exception {
        LinkedBlockingQueue<Message> got = new LinkedBlockingQueue<>();
        ServiceRegistration<Module> probe = registerModule("eventbus-itest-probe", "twin", got::add);
        try {
            String topic = "$hw/events/device/default/itest-thermo/twin/update";
            String payload = "{\"event_id\":\"" + eventId
                    + "\",\"timestamp\":1,\"twin\":{\"t\":{\"actual\":{\"value\":\"21\"}}}}";
            String resource = Base64.getUrlEncoder().encodeToString(topic.getBytes(StandardCharsets.UTF_8));
            Mqtt.publish(port(), topic, payload);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Message m = got.poll(200, TimeUnit.MILLISECONDS);
                if (m != null && resource.equals(m.resource()) && payload.equals(m.content())) {
                    assertEquals("bus", m.source());
                    assertEquals("user", m.group());
                    assertEquals("response", m.operation());
                    return;
                }
            }
            fail("the twin group never got the update; eventbus:status: " + executeCommand("eventbus:status"));
        } finally {
            probe.unregister();
        }
    }

    @Test
    public void eventbusPublishReachesMosquittoSub() throws Exception {
        awaitCommand("eventbus:status", "CONNECTED");
        String topic = "$hw/events/device/default/itest-thermo/twin/update/delta";
        Path out = Files.createTempFile("eventbus-it", ".out");
        try (Mqtt.Subscriber sub = new Mqtt.Subscriber(port(), topic, out)) {
            // the subscriber has proven its subscription: one publish must arrive
            executeCommand("eventbus:publish '" + topic + "' '{\"delta\":{\"t\":\"25\"}}'");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                Thread.sleep(100);
                if (!sub.payloads(topic).isEmpty()) {
                    assertEquals("{\"delta\":{\"t\":\"25\"}}", sub.payloads(topic).get(0));
                    return;
                }
            }
            fail("mosquitto_sub got nothing: " + sub.all());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
