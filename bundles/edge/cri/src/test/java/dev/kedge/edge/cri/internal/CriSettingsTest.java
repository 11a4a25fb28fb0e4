package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.kedge.edge.cri.RuntimeCallException;

class CriSettingsTest {

    @Test
    void defaultsAreKubeEdges() {
        CriSettings s = CriSettings.of(TestConfigs.config(CriSettings.DEFAULT_ENDPOINT, "", 120, 10));
        assertEquals(Path.of("/run/containerd/containerd.sock"), s.runtimeSocket());
        assertEquals(s.runtimeSocket(), s.imageSocket(), "an empty image endpoint is the runtime's");
        assertEquals(Duration.ofSeconds(120), s.pullTimeout());
        assertEquals(Duration.ofSeconds(10), s.callTimeout());
    }

    @Test
    void acceptsBarePathAndSeparateImageEndpoint() {
        CriSettings s = CriSettings.of(TestConfigs.config("/run/a.sock", "unix:///run/b.sock", 60, 5));
        assertEquals(Path.of("/run/a.sock"), s.runtimeSocket());
        assertEquals(Path.of("/run/b.sock"), s.imageSocket());
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        IllegalArgumentException tcp = assertThrows(IllegalArgumentException.class,
                () -> CriSettings.of(TestConfigs.config("tcp://127.0.0.1:1234")));
        assertTrue(tcp.getMessage().startsWith("remoteRuntimeEndpoint:"), tcp.getMessage());
        IllegalArgumentException relative = assertThrows(IllegalArgumentException.class,
                () -> CriSettings.of(TestConfigs.config("unix:///run/c.sock", "unix://run/c.sock", 120, 10)));
        assertTrue(relative.getMessage().startsWith("remoteImageEndpoint:"), relative.getMessage());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> CriSettings.of(TestConfigs.config("unix:///" + "x".repeat(120) + ".sock")));
        assertTrue(tooLong.getMessage().contains("longer than 107 bytes"), tooLong.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> CriSettings.of(TestConfigs.config("unix:///run/c.sock", "", 0, 10)));
        assertTrue(timeout.getMessage().startsWith("runtimeRequestTimeout"), timeout.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CriSettings.of(TestConfigs.config("unix:///run/c.sock", "", 10, -1)));
    }

    @Test
    void invalidConfigurationKeepsServiceButEveryCallSaysWhy() {
        CriRuntimeComponent runtime = new CriRuntimeComponent(TestConfigs.config("tcp://10.0.0.1:2375"));
        try {
            assertEquals("tcp://10.0.0.1:2375", runtime.endpoint());
            RuntimeCallException e = assertThrows(RuntimeCallException.class, runtime::version);
            assertEquals("FAILED_PRECONDITION", e.code());
            assertEquals("Version", e.call());
            assertTrue(e.getMessage().contains("invalid configuration dev.kedge.edge.edged: remoteRuntimeEndpoint"),
                    e.getMessage());
        } finally {
            runtime.deactivate();
        }
    }
}
