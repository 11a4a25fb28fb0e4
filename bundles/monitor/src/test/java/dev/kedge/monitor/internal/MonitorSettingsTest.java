package dev.kedge.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class MonitorSettingsTest {

    @Test
    void splitsCommaSeparatedChecksFromACfgString() {
        MonitorSettings s = MonitorSettings.of("127.0.0.1", 9092, new String[] {"edgehub, store", ""}, 8, 8192,
                10_000, 2);
        assertEquals(List.of("edgehub", "store"), s.requiredChecks());
        assertEquals(Duration.ofSeconds(10), s.idleTimeout());
    }

    @Test
    void refusesValuesThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of(" ", 9091, null, 8, 8192, 10_000, 2));
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of("x", 70000, null, 8, 8192, 10_000, 2));
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of("x", 1, null, 0, 8192, 10_000, 2));
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of("x", 1, null, 8, 10, 10_000, 2));
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of("x", 1, null, 8, 8192, 10, 2));
        assertThrows(IllegalArgumentException.class, () -> MonitorSettings.of("x", 1, null, 8, 8192, 10_000, 0));
    }
}
