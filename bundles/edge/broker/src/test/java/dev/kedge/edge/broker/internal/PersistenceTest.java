package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/** persistence=true: retained messages and persistent sessions survive a restart of the component. */
class PersistenceTest {
    @TempDir
    Path dir;

    private BrokerComponent start(int port) {
        return Configs.running(Map.of("port", port, "persistence", true, "dataPath", dir.toString()));
    }

    @Test
    void retainedMessagesAndPersistentSessionsAreBackAfterARestart() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = start(port);
        Path file = dir.resolve(BrokerComponent.STATE_FILE);
        try {
            MqttClient mapper = BrokerComponentTest.client(port, "mapper", null, null);
            mapper.publish("$hw/events/device/d1/twin/update", "{\"v\":1}".getBytes(StandardCharsets.UTF_8), 1, true);
            mapper.disconnect();
            mapper.close();
            try (RawClient keeper = RawClient.connect(port, "keeper", false, 60)) {
                keeper.subscribe(1, "q/#", 1);
                keeper.send(Packet.Empty.DISCONNECT);
            }
            MqttProtocolTest.await(() -> broker.clients().isEmpty(), "keeper offline");
            assertTrue(broker.publish("q/1", "queued".getBytes(StandardCharsets.UTF_8), 1, false));
            // saved within about a second, without a stop
            MqttProtocolTest.await(() -> Files.exists(file), "state written by the coalesced save");
        } finally {
            broker.deactivate();
        }
        assertFalse(Files.exists(dir.resolve(BrokerComponent.STATE_FILE + ".tmp")), "written via a temp file");

        BrokerComponent again = start(port);
        try {
            List<String> replayed = new ArrayList<>();
            assertEquals(1, again.retained("$hw/events/device/+/twin/update", (c, t, p) ->
                    replayed.add(c + " " + t + " " + new String(p, StandardCharsets.UTF_8))));
            assertEquals(List.of("mapper $hw/events/device/d1/twin/update {\"v\":1}"), replayed);
            try (RawClient late = RawClient.connect(port, "late", true, 60)) {
                late.subscribe(1, "$hw/events/device/+/twin/update", 1);
                Packet.Publish p = late.readPublish();
                assertTrue(p.retain());
                assertEquals("{\"v\":1}", new String(p.payload(), StandardCharsets.UTF_8));
            }
            try (RawClient keeper = new RawClient(port)) {
                assertTrue(keeper.connect(new Packet.Connect("MQTT", 4, false, 60, "keeper", null, null, null))
                        .sessionPresent(), "the session is back");
                Packet.Publish p = keeper.readPublish();
                assertEquals("q/1", p.topic());
                assertEquals("queued", new String(p.payload(), StandardCharsets.UTF_8));
                keeper.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
                broker.publish("q/2", new byte[] {1}, 1, false); // the old instance takes nothing any more
                again.publish("q/3", new byte[] {3}, 1, false); // the subscription came back too
                assertEquals("q/3", keeper.readPublish().topic());
            }
        } finally {
            again.deactivate();
        }
    }

    @Test
    void aDamagedStateFileIsMovedAsideAndTheBrokerStartsEmpty() throws Exception {
        Files.writeString(dir.resolve(BrokerComponent.STATE_FILE), "not a state file");
        BrokerComponent broker = start(FreePorts.belowEphemeral());
        try {
            assertTrue(Files.exists(dir.resolve(BrokerComponent.STATE_FILE + ".damaged")));
            assertEquals(0, broker.retained("#", (c, t, p) -> { }));
        } finally {
            broker.deactivate();
        }
        assertTrue(Files.exists(dir.resolve(BrokerComponent.STATE_FILE)), "a good one written at stop");
    }

    @Test
    void aStateThatCannotBeSavedShowsInTheStats() throws Exception {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file where the directory should be");
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port, "persistence",
                true, "dataPath", blocker.resolve("broker").toString())));
        try {
            assertTrue(broker.stats().running(), broker.stats().error());
            assertTrue(broker.stats().error().isEmpty());
            broker.publish("r/1", new byte[] {1}, 1, true);
            MqttProtocolTest.await(() -> broker.stats().error().contains("cannot save"), "save error shown");
            assertTrue(broker.stats().running(), "still serving");
        } finally {
            broker.deactivate();
        }
    }
}
