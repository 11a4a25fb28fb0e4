package dev.kedge.device.virtual.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.kedge.device.driver.Channel;
import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.driver.DeviceConnection;
import dev.kedge.device.driver.DriverException;

class VirtualDriverTest {
    static final Duration T = Duration.ofSeconds(1);

    private static Channel ch(String name, String type, Map<String, String> config) {
        return new Channel(name, type, config);
    }

    @Test
    void everyModeProducesValuesOfItsType() throws Exception {
        try (DeviceConnection c = new VirtualDriver().connect("ns/d", Map.of())) {
            Channel counter = ch("c", "int", Map.of("mode", "counter", "min", "5", "max", "7"));
            Channel random = ch("r", "float", Map.of("mode", "random", "min", "10", "max", "20"));
            Channel sine = ch("s", "", Map.of("mode", "sine", "min", "-1", "max", "1", "periodMs", "1000"));
            Channel constant = ch("k", "boolean", Map.of("value", "true"));
            List<String> counts = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<ChannelRecord> r = c.read(List.of(counter, random, sine, constant), T);
                counts.add(r.get(0).value());
                double rv = Double.parseDouble(r.get(1).value());
                assertTrue(rv >= 10 && rv <= 20, r.get(1).value());
                double sv = Double.parseDouble(r.get(2).value());
                assertTrue(sv >= -1 && sv <= 1, r.get(2).value());
                assertEquals("true", r.get(3).value());
            }
            assertEquals(List.of("5", "6", "7", "5"), counts);
        }
    }

    @Test
    void writesSetTheValueAndBadInputFailsOneChannel() throws Exception {
        try (DeviceConnection c = new VirtualDriver().connect("ns/d", Map.of())) {
            Channel level = ch("level", "int", Map.of());
            assertTrue(c.write(level, "42", T).ok());
            assertEquals("42", c.read(List.of(level), T).get(0).value());
            assertFalse(c.write(level, "forty", T).ok());
            List<ChannelRecord> r = c.read(List.of(ch("bad", "", Map.of("mode", "warp")),
                    ch("inverted", "", Map.of("min", "5", "max", "1")), level), T);
            assertTrue(r.get(0).reason().contains("unknown mode"));
            assertTrue(r.get(1).reason().contains("below min"));
            assertEquals("42", r.get(2).value());
        }
    }

    @Test
    void aSlowChannelGivesUpAtTheTimeout() throws Exception {
        try (DeviceConnection c = new VirtualDriver().connect("ns/d", Map.of())) {
            long t0 = System.nanoTime();
            ChannelRecord r = c.read(List.of(ch("slow", "", Map.of("delayMs", "5000"))), Duration.ofMillis(200))
                    .get(0);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertFalse(r.ok());
            assertTrue(ms < 1000, "returned after " + ms + " ms");
        }
        assertThrows(DriverException.class, () -> new VirtualDriver().connect("ns/x", Map.of("failConnect", "no")));
    }
}
