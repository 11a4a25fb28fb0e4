package dev.kedge.edge.eventbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.internal.SharedSchedulerImpl;
import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.testing.RecordingBus;
import dev.kedge.core.testing.RequiredService;
import dev.kedge.edge.store.internal.SqliteStore;
import dev.kedge.edge.store.testing.TestStores;

/**
 * Mode 2 (external) against the real Mosquitto: the shared one at {@code KEDGE_MOSQUITTO} (required under CI=true),
 * and a private Mosquitto process on a free port for the restart case (the shared broker is never stopped).
 */
class ExternalMosquittoTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private SqliteStore store;
    private final SharedSchedulerImpl scheduler = new SharedSchedulerImpl();
    private final RecordingBus bus = new RecordingBus();
    private EventBusComponent eventBus;

    @BeforeEach
    void open() {
        MosquittoClients.require("mosquitto_pub", "mosquitto_sub");
        store = TestStores.open(dir.resolve("edgecore.db"));
    }

    @AfterEach
    void close() {
        if (eventBus != null) {
            eventBus.deactivate();
        }
        store.close(Duration.ofSeconds(5));
    }

    private static URI sharedMosquitto() {
        String url = System.getenv("KEDGE_MOSQUITTO");
        RequiredService.require(url != null && !url.isBlank(),
                "KEDGE_MOSQUITTO (tcp://host:port of a running Mosquitto) is not set");
        return URI.create(url.strip());
    }

    private EventBusComponent start(String url) throws InterruptedException {
        // a unique client id: the shared broker may see other test runs
        EventBusComponent eb = new EventBusComponent(bus, scheduler, store, Configs.of(EventBusConfig.class,
                Map.of("mqttMode", 2, "mqttServerExternal", url, "reconnectMinMs", 100, "reconnectMaxMs", 500,
                        "nodeName", "edge-1", "mqttSubClientID", "kedge-test-" + UUID.randomUUID())));
        InternalBrokerTest.awaitConnected(eb);
        return eb;
    }

    @Test
    void twinUpdateAndPublishThroughTheSharedMosquitto() throws Exception {
        URI mqtt = sharedMosquitto();
        eventBus = start(mqtt.toString());
        assertEquals("external", eventBus.status().brokers().get(0).name());
        String device = "it-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = "$hw/events/device/default/" + device + "/twin/update";
        MosquittoClients.pub(mqtt.getPort(), topic, InternalBrokerTest.TWIN_UPDATE);
        String resource = KubeEdgeTopics.encodeTopic(topic);
        Message m = bus.await(x -> x.resource().equals(resource), WAIT, "twin update from mosquitto_pub");
        assertEquals("bus", m.source());
        assertEquals("user", m.group());
        assertEquals(Operations.RESPONSE, m.operation());
        assertEquals(InternalBrokerTest.TWIN_UPDATE, m.content());

        String result = "$hw/events/device/default/" + device + "/twin/update/result";
        try (MosquittoClients.Sub sub = new MosquittoClients.Sub(mqtt.getPort(), result)) {
            String payload = "{\"event_id\":\"e1\",\"timestamp\":1}";
            long deadline = System.nanoTime() + WAIT.toNanos();
            String line = null;
            while (line == null && System.nanoTime() < deadline) { // mosquitto_sub has no "subscribed" signal
                eventBus.receive(Message.create("twin", "", Operations.PUBLISH, result, payload));
                line = sub.next(Duration.ofMillis(300));
            }
            assertEquals(result + " " + payload, line);
        }
    }

    @Test
    void measuresMqttToBusThroughputThroughMosquitto() throws Exception {
        // a private Mosquitto: the shared one carries other runs' traffic, which skews the figure
        MosquittoClients.require("mosquitto");
        int port = FreePorts.belowEphemeral();
        try (MosquittoClients.Broker mosquitto = new MosquittoClients.Broker(dir, port).start()) {
            eventBus = start("tcp://127.0.0.1:" + port);
            org.slf4j.LoggerFactory.getLogger(getClass()).info("MQTT -> bus, Mosquitto: {}",
                    InternalBrokerTest.measureThroughput(eventBus, bus, "tcp://127.0.0.1:" + port, 20_000));
        }
    }

    @Test
    void mosquittoRestartReconnectsAndResubscribes() throws Exception {
        MosquittoClients.require("mosquitto");
        int port = FreePorts.belowEphemeral();
        try (MosquittoClients.Broker mosquitto = new MosquittoClients.Broker(dir, port).start()) {
            eventBus = start("tcp://127.0.0.1:" + port);
            eventBus.receive(Message.create("hub", "", Operations.SUBSCRIBE, "plant/+/energy", null));
            mosquitto.stop();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (eventBus.status().brokers().get(0).connected() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!eventBus.status().brokers().get(0).connected());
            mosquitto.start();
            InternalBrokerTest.awaitConnected(eventBus);
            assertTrue(eventBus.status().brokers().get(0).connects() >= 2);
            MosquittoClients.pub(port, "$hw/events/node/edge-1/membership/get", "{\"event_id\":\"m1\"}");
            bus.await(x -> x.resource().equals(KubeEdgeTopics.encodeTopic("$hw/events/node/edge-1/membership/get")),
                    WAIT, "membership/get after the restart");
            MosquittoClients.pub(port, "plant/7/energy", "12.5");
            Message up = bus.await(x -> x.resource().equals("plant/7/energy"), WAIT, "sub_topics topic after restart");
            assertEquals(Operations.UPLOAD, up.operation());
            assertEquals("12.5", up.content());
        }
    }

    @Test
    void modeBothConnectsTwoBrokersAndPublishesOnEach() throws Exception {
        MosquittoClients.require("mosquitto");
        int external = FreePorts.belowEphemeral();
        int internal = FreePorts.belowEphemeral();
        dev.kedge.edge.broker.internal.BrokerComponent embedded = InternalBrokerTest.startBroker(internal);
        try (MosquittoClients.Broker mosquitto = new MosquittoClients.Broker(dir, external).start()) {
            eventBus = new EventBusComponent(bus, scheduler, store, Configs.of(EventBusConfig.class,
                    Map.of("mqttMode", 1, "mqttServerInternal", "tcp://127.0.0.1:" + internal,
                            "mqttServerExternal", "tcp://127.0.0.1:" + external, "reconnectMinMs", 100)));
            eventBus.bindEmbedded(embedded); // in process, the default for the embedded broker
            InternalBrokerTest.awaitConnected(eventBus);
            assertTrue(eventBus.status().brokers().get(0).url().startsWith(InProcessLink.URL_PREFIX));
            assertEquals(java.util.List.of("internal", "external"),
                    eventBus.status().brokers().stream().map(b -> b.name()).toList());
            // a mapper on either broker reaches DeviceTwin
            for (int port : new int[] {internal, external}) {
                String topic = "$hw/events/device/default/both-" + port + "/state/update";
                MosquittoClients.pub(port, topic, "{\"event_id\":\"s\",\"state\":\"online\"}");
                bus.await(x -> x.resource().equals(KubeEdgeTopics.encodeTopic(topic)), WAIT, "state from " + port);
            }
            // a publish from the bus goes to both brokers
            String delta = "$hw/events/device/default/both/twin/update/delta";
            try (MosquittoClients.Sub onInternal = new MosquittoClients.Sub(internal, delta);
                    MosquittoClients.Sub onExternal = new MosquittoClients.Sub(external, delta)) {
                boolean a = false;
                boolean b = false;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!(a && b) && System.nanoTime() < deadline) {
                    assertEquals(2, eventBus.publish(delta, "{}".getBytes()));
                    a |= onInternal.next(Duration.ofMillis(200)) != null;
                    b |= onExternal.next(Duration.ofMillis(200)) != null;
                }
                assertTrue(a && b, "internal " + a + ", external " + b);
            }
        } finally {
            embedded.deactivate();
        }
    }
}
