package dev.kedge.edge.edged.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Configuration validation, reservations and the quantities they are written in. */
class EdgedSettingsTest {

    @Test
    void defaultsAreKubeEdges() {
        EdgedSettings s = EdgedSettings.of(TestConfigs.config(Map.of()), "1.2.3");
        assertEquals(Duration.ofSeconds(10), s.statusUpdate());
        assertEquals(Duration.ofMinutes(5), s.statusReport());
        assertEquals(Duration.ofSeconds(10), s.leaseRenewInterval());
        assertEquals(110, s.maxPods());
        assertEquals(new EdgedSettings.Reserved(0, 0, 0, 0), s.reserved());
        assertEquals("v1.20.2-kedge-1.2.3", s.kubeletVersion());
    }

    @Test
    void reservationsAddUp() {
        EdgedSettings s = EdgedSettings.of(TestConfigs.config(Map.of("systemReserved", "cpu=100m, memory=256Mi",
                "kubeReserved", "cpu=0.4,ephemeral-storage=1G,memory=1Gi")), "1");
        assertEquals(new EdgedSettings.Reserved(500, (256L << 20) + (1L << 30), 1_000_000_000L, 0), s.reserved());
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertMessage("nodeName", Map.of("nodeName", "Edge_1"), "Edge_1");
        assertMessage("labels", Map.of("nodeLabels", "zone"), "zone");
        assertMessage("labels", Map.of("nodeLabels", "bad key=x"), "bad key");
        assertMessage("reserved", Map.of("systemReserved", "gpu=1"), "gpu");
        assertMessage("quantity", Map.of("systemReserved", "cpu=lots"), "lots");
        assertMessage("frequency", Map.of("nodeStatusUpdateFrequency", "0"), "nodeStatusUpdateFrequency");
    }

    @Test
    void quantitiesAreCanonical() {
        assertEquals("2", Quantities.cpu(2000));
        assertEquals("1900m", Quantities.cpu(1900));
        assertEquals("24684084Ki", Quantities.bytes(24684084L * 1024));
        assertEquals("2Gi", Quantities.bytes(2L << 30));
        assertEquals("1000", Quantities.bytes(1000));
        assertEquals("0", Quantities.bytes(0));
        assertEquals(1500, Quantities.milli("1.5"));
        assertEquals(1, Quantities.milli("0.5m"), "rounded up");
        assertEquals(3_000_000, Quantities.units("3M"));
        assertEquals(3L << 40, Quantities.units("3Ti"));
    }

    private static void assertMessage(String what, Map<String, String> config, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EdgedSettings.of(TestConfigs.config(config), "1"), what);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
