package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The limits are validated with the rest of the configuration, naming the bad key. */
class BrokerSettingsTest {

    private static BrokerSettings of(Map<String, Object> values) {
        return BrokerSettings.of(Configs.of(BrokerConfig.class, values));
    }

    @Test
    void defaultsAreTheFormerConstants() {
        BrokerSettings s = of(Map.of());
        assertEquals(1024, s.maxConnections());
        assertEquals(64, s.maxInFlight());
        assertEquals(4096, s.maxPendingAcks());
        assertEquals(10_000, s.maxRetainedTopics());
    }

    @Test
    void limitsMustBePositiveAndInFlightFitPacketIds() {
        for (String key : new String[] {"maxConnections", "maxInFlight", "maxPendingAcks", "maxRetainedTopics"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(Map.of(key, 0)));
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        assertEquals(65535, of(Map.of("maxInFlight", 65535)).maxInFlight());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> of(Map.of("maxInFlight", 65536)))
                .getMessage().contains("maxInFlight"));
    }
}
