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
        assertMessage("endpoint", Map.of("remoteRuntimeEndpoint", "tcp://1.2.3.4:1"), "remoteRuntimeEndpoint");
        assertMessage("cgroup", Map.of("cgroupDriver", "cgroupv3"), "cgroupDriver");
        assertMessage("relist", Map.of("relistPeriodMs", "5"), "relistPeriodMs");
        assertMessage("idle relist", Map.of("relistIdlePeriodMs", "500"), "relistIdlePeriodMs");
        assertMessage("gc", Map.of("maxPerPodContainerCount", "0"), "maxPerPodContainerCount");
        assertMessage("logs", Map.of("podLogsRootDirectory", "logs"), "podLogsRootDirectory");
        assertMessage("workers", Map.of("podWorkers", "0"), "podWorkers");
    }

    @Test
    void podSettingsHaveKubeEdgesDefaults() {
        PodSettings p = EdgedSettings.of(TestConfigs.config(Map.of("rootDirectory", "/var/lib/kedge")), "1").pods();
        assertEquals("unix:///run/containerd/containerd.sock", p.runtimeEndpoint());
        assertEquals("unix:///run/containerd/containerd.sock", p.imageEndpoint());
        assertEquals(java.time.Duration.ofSeconds(120), p.runtimeRequestTimeout());
        assertEquals("kubeedge/pause:3.6", p.podSandboxImage());
        assertEquals(java.nio.file.Path.of("/var/lib/kedge/pods"), p.podsDirectory());
        assertEquals("cgroupfs", p.cgroupDriver());
        assertEquals(1, p.maxPerPodContainerCount());
        assertEquals(-1, p.maxContainerCount());
        assertEquals(java.nio.file.Path.of("/var/log/pods"), p.podLogsDirectory());
        assertEquals(java.time.Duration.ofSeconds(1), p.relistPeriod());
        assertEquals(java.time.Duration.ofSeconds(5), p.relistIdlePeriod());
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
