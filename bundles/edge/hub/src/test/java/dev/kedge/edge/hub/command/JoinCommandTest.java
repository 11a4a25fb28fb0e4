package dev.kedge.edge.hub.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.TestScheduler;
import dev.kedge.edge.hub.internal.FakeConfigAdmin;

class JoinCommandTest {
    private static final String TOKEN = "a".repeat(64) + ".eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjF9.c2ln";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream stdout;
    private PrintStream stderr;
    private final TestScheduler scheduler = new TestScheduler();

    @BeforeEach
    void capture() {
        stdout = System.out;
        stderr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(stdout);
        System.setErr(stderr);
        scheduler.stop();
    }

    @Test
    void writesTheConfigurationAndSaysWhatHappensNext() throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin(Map.of("heartbeat", 15, "httpServer", "https://old:10002"));
        join(cm, "wss://10.0.0.5:10000", TOKEN, "edge-7", null);
        Map<String, Object> written = cm.updates.get(0);
        assertEquals("10.0.0.5:10000", written.get("server"));
        assertEquals(TOKEN, written.get("token"));
        assertEquals("edge-7", written.get("nodeName"));
        assertEquals(15, written.get("heartbeat"), "other keys stay");
        assertFalse(written.containsKey("httpServer"), "the previous cloud's HTTPS address is dropped");
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("https://10.0.0.5:10002") && text.contains("edge-7") && text.contains("edgehub:status"),
                text);
        assertFalse(text.contains(TOKEN.substring(70)), "the token's secret part is not echoed");
    }

    /** FileInstall's write-back race, as on CI: the file's half-written content replaces the join. */
    @Test
    void appliesTheJoinAgainWhenItIsUndoneRightAfter() throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin(Map.of("heartbeat", 15));
        Thread fileInstall = new Thread(() -> {
            try {
                while (cm.updates.isEmpty()) {
                    Thread.sleep(5);
                }
                Thread.sleep(150);
                cm.properties.clear(); // what an empty, truncated etc/dev.kedge.edge.hub.cfg reads as
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fileInstall.start();
        join(cm, "wss://10.0.0.5:10000", TOKEN, "edge-7", null);
        fileInstall.join(5_000);
        assertEquals(2, cm.updates.size(), "applied, undone, applied again");
        assertEquals("10.0.0.5:10000", cm.properties.get("server"));
        assertEquals(15, cm.properties.get("heartbeat"));
    }

    @Test
    void refusesBadInputWithoutTouchingTheConfiguration() throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin(Map.of());
        join(cm, "10.0.0.5", TOKEN, null, null);
        join(cm, "10.0.0.5:10000", "not-a-token", null, null);
        join(cm, "10.0.0.5:10000", TOKEN, "Bad_Name", null);
        assertTrue(cm.updates.isEmpty());
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("needs a port") && text.contains("token") && text.contains("Bad_Name"), text);
    }

    /** A file that keeps coming back: the command gives up and says so instead of claiming a join. */
    @Test
    void saysSoWhenTheJoinKeepsBeingUndone() throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin(Map.of("heartbeat", 15));
        Thread fileInstall = new Thread(() -> {
            try {
                for (int undone = 0; undone < 4; undone++) {
                    while (cm.updates.size() <= undone) {
                        Thread.sleep(5);
                    }
                    Thread.sleep(150);
                    cm.properties.remove("server");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fileInstall.start();
        join(cm, "wss://10.0.0.5:10000", TOKEN, "edge-7", null);
        fileInstall.join(5_000);
        assertEquals(4, cm.updates.size(), "written once and again three times");
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("undone") && text.contains("run it again"), text);
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("EdgeHub now fetches"));
    }

    private void join(FakeConfigAdmin cm, String cloud, String token, String node, String http)
            throws Exception {
        JoinCommand c = new JoinCommand();
        set(c, "configAdmin", cm.service());
        set(c, "scheduler", scheduler);
        set(c, "cloud", cloud);
        set(c, "token", token);
        set(c, "nodeName", node);
        set(c, "httpServer", http);
        c.execute();
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true); // Karaf injects these fields the same way
        f.set(target, value);
    }
}
