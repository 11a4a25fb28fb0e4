package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HubSettingsTest {

    @Test
    void kubeEdgeDefaults() {
        System.setProperty("karaf.etc", "/opt/kedge/etc");
        HubSettings s = HubSettings.of(TestConfigs.config(Map.of("server", "10.1.2.3:10000", "nodeName", "edge-1")));
        assertTrue(s.joined());
        assertEquals(URI.create("https://10.1.2.3:10002"), s.httpServer());
        assertEquals(URI.create("wss://10.1.2.3:10000/e632aba927ea4ac2b575ec1603d56f10/edge-1/events"),
                s.webSocketUri());
        assertEquals(Duration.ofSeconds(15), s.heartbeat());
        assertEquals(30, s.qps());
        assertEquals(60, s.burst());
        assertEquals(Path.of("/opt/kedge/etc/kedge/certs"), s.certDir());
        assertEquals(Duration.ofSeconds(30), s.handshakeTimeout());
    }

    @Test
    void emptyServerMeansNotJoined() {
        HubSettings s = HubSettings.of(TestConfigs.config(Map.of("nodeName", "edge-1", "certDir", "/tmp")));
        assertFalse(s.joined());
    }

    @Test
    void serverAcceptsPastedUrlsAndIpv6() {
        assertEquals("cloud.example:10000", HubSettings.normalizeServer("wss://cloud.example:10000/"));
        HubSettings s = HubSettings.of(TestConfigs.config(Map.of("server", "[::1]:10000", "nodeName", "n",
                "certDir", "/tmp")));
        assertEquals(URI.create("https://[::1]:10002"), s.httpServer());
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        assertThrows(IllegalArgumentException.class, () -> HubSettings.normalizeServer("cloud.example"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.of(TestConfigs.config(Map.of("nodeName", "Edge_1", "certDir", "/tmp"))));
        assertTrue(e.getMessage().contains("Edge_1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HubSettings.of(TestConfigs.config(
                Map.of("server", "a:1", "httpServer", "http://a:10002", "nodeName", "n", "certDir", "/tmp"))));
        assertThrows(IllegalArgumentException.class, () -> HubSettings.of(TestConfigs.config(
                Map.of("nodeName", "n", "certDir", "${no.such.property}/certs"))));
    }

    @Test
    void tokenChangesAloneAreTold() {
        HubSettings a = HubSettings.of(TestConfigs.config(Map.of("server", "a:1", "nodeName", "n", "certDir", "/t",
                "token", "x")));
        HubSettings b = HubSettings.of(TestConfigs.config(Map.of("server", "a:1", "nodeName", "n", "certDir", "/t")));
        assertEquals(a.withoutToken(), b.withoutToken());
    }
}
