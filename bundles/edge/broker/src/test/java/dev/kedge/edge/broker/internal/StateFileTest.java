package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/** The state file's format: version 2 keeps the QoS 2 packet ids; a version 1 file (without them) still loads. */
class StateFileTest {
    /** Written by the version 1 StateFile (commit 6e91515): retained r on a $hw topic, session keeper, one queued. */
    private static final String V1 = "/broker-state-v1.bin";

    @TempDir
    Path dir;

    private Path v1File() throws Exception {
        Path file = dir.resolve(BrokerComponent.STATE_FILE);
        try (InputStream in = StateFileTest.class.getResourceAsStream(V1)) {
            Files.copy(in, file);
        }
        return file;
    }

    @Test
    void aVersion1FileLoadsWithoutQos2Ids() throws Exception {
        StateFile.State s = StateFile.read(v1File());
        assertEquals(1, s.retained().size());
        assertEquals("$hw/events/device/d1/twin/update", s.retained().get(0).topic());
        StateFile.SavedSession keeper = s.sessions().get(0);
        assertEquals("keeper", keeper.clientId());
        assertEquals(Map.of("q/#", 1), keeper.subscriptions());
        assertEquals("q/1", keeper.pending().get(0).message().topic());
        assertEquals(Set.of(), keeper.qos2Received());
    }

    @Test
    void qos2IdsRoundTrip() throws Exception {
        Path file = dir.resolve("state.bin");
        Message m = new Message("q/1", new byte[] {1}, 1, false, "p", true);
        StateFile.write(file, new StateFile.State(List.of(), List.of(new StateFile.SavedSession("c", 5,
                Map.of("q/#", 2), List.of(new Session.Delivery(m, 1, false)), Set.of(1, 7, 65535)))));
        StateFile.SavedSession back = StateFile.read(file).sessions().get(0);
        assertEquals(Set.of(1, 7, 65535), back.qos2Received());
        assertEquals(Map.of("q/#", 2), back.subscriptions());
        assertEquals(1, back.pending().size());
    }

    @Test
    void theBrokerStartsOnAVersion1FileWithItsSessionAndRetainedMessage() throws Exception {
        v1File();
        int port = FreePorts.belowEphemeral();
        // the fixture's session went offline in 2023: kept by an expiry long enough
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port, "persistence",
                true, "dataPath", dir.toString(), "sessionExpirySeconds", Integer.MAX_VALUE)));
        try {
            assertTrue(broker.stats().running(), broker.stats().error());
            assertFalse(Files.exists(dir.resolve(BrokerComponent.STATE_FILE + ".damaged")), "not moved aside");
            try (RawClient keeper = new RawClient(port)) {
                assertTrue(keeper.connect(new Packet.Connect("MQTT", 4, false, 60, "keeper", null, null, null))
                        .sessionPresent());
                Packet.Publish p = keeper.readPublish();
                assertEquals("q/1", p.topic());
                assertEquals("queued", new String(p.payload(), StandardCharsets.UTF_8));
                keeper.send(new Packet.Ack(Packet.PUBACK, p.packetId()));
                keeper.subscribe(2, "$hw/events/device/+/twin/update", 1);
                assertTrue(keeper.readPublish().retain());
            }
        } finally {
            broker.deactivate();
        }
        assertEquals(Set.of(), StateFile.read(dir.resolve(BrokerComponent.STATE_FILE)).sessions().get(0)
                .qos2Received(), "saved again as version 2");
    }
}
