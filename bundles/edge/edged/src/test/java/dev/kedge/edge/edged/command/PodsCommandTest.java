package dev.kedge.edge.edged.command;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedNodeInfo;
import dev.kedge.edge.edged.EdgedPodInfo;

/** {@code edged:pods} and {@code edged:logs} print what the Edged service reports. */
class PodsCommandTest {

    private static final class StubEdged implements Edged {
        @Override
        public EdgedNodeInfo node() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String nodeStatusJson() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<EdgedPodInfo> pods() {
            return List.of(new EdgedPodInfo("default", "web", "uid-1", "Running", 1, 2, 3, "10.88.0.7",
                    Instant.now().minusSeconds(90)));
        }

        @Override
        public List<String> logs(String namespace, String pod, String container, int lines) {
            if (!"web".equals(pod)) {
                throw new IllegalArgumentException("no pod " + namespace + "/" + pod + " on this node");
            }
            return List.of(namespace + "/" + pod + "/" + container + " last " + lines);
        }
    }

    @Test
    void podsShowsPhaseReadinessRestartsIpAndAge() throws Exception {
        PodsCommand c = new PodsCommand();
        inject(c, "edged", new StubEdged());
        String out = capture(c::execute);
        assertTrue(out.contains("default/web"), out);
        assertTrue(out.contains("Running") && out.contains("1/2") && out.contains("10.88.0.7"), out);
        assertTrue(out.contains("90s") || out.contains("91s"), out);
    }

    @Test
    void logsTakesNamespaceSlashNameAndTheLineCount() throws Exception {
        LogsCommand c = new LogsCommand();
        inject(c, "edged", new StubEdged());
        inject(c, "pod", "kube-system/web");
        inject(c, "container", "app");
        inject(c, "lines", 7);
        assertTrue(capture(c::execute).contains("kube-system/web/app last 7"));
    }

    private interface Body {
        Object run() throws Exception;
    }

    private static String capture(Body body) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    private static void inject(Object target, String field, Object value) throws Exception {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }
}
