package dev.kedge.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Foreign MQTT clients for the tests: Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (installed by
 * scripts/test.sh), speaking KubeEdge's topics to a Kedge edge's broker as a mapper or an application would.
 */
final class Mqtt {
    private Mqtt() {
    }

    /** Publishes one message (QoS 1) and waits for mosquitto_pub to finish. */
    static void publish(int port, String topic, String payload) throws Exception {
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."), List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-m", payload), Map.of(), 20);
        if (r.exitCode() != 0) {
            throw new AssertionError("mosquitto_pub " + topic + ": " + r.output());
        }
    }

    /** Publishes every line of {@code lines} as one message on {@code topic}, from one client connection. */
    static void publishLines(int port, String topic, List<String> lines) throws Exception {
        KedgeProcess.Result r = KedgeProcess.run(Path.of("."), List.of("mosquitto_pub", "-h", "127.0.0.1", "-p",
                String.valueOf(port), "-q", "1", "-t", topic, "-l"), Map.of(), 60, String.join("\n", lines) + "\n");
        if (r.exitCode() != 0) {
            throw new AssertionError("mosquitto_pub -l " + topic + ": " + r.output());
        }
    }

    /**
     * A running {@code mosquitto_sub -v}: every message it got, as "topic payload" lines, in a file. The constructor
     * returns once the subscription is proven: mosquitto_sub gives no sign of it, and a broker may close a connection
     * right after accepting it (seen once in CI), so a probe message on a topic of the test's own must come back
     * first; without it the subscriber is started again.
     */
    static final class Subscriber implements AutoCloseable {
        private static final String PROBE_TOPIC = "kedge-itest/subscriber-probe";
        private static final long PROBE_WAIT_MS = 3_000;
        private static final long CONFIRM_WITHIN_MS = 45_000;

        private final int port;
        private final String filter;
        private final Path out;
        private Process process;

        Subscriber(int port, String filter, Path out) throws Exception {
            this.port = port;
            this.filter = filter;
            this.out = out;
            Files.deleteIfExists(out);
            start();
            awaitSubscribed();
        }

        private void start() throws IOException {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-q", "1", "-v", "-t", filter, "-t", PROBE_TOPIC));
            // appended: a restarted subscriber keeps what the first one printed, for the failure message
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
        }

        private void awaitSubscribed() throws Exception {
            long deadline = System.nanoTime() + CONFIRM_WITHIN_MS * 1_000_000;
            for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
                String probe = "probe-" + attempt;
                publish(port, PROBE_TOPIC, probe);
                long until = System.nanoTime() + PROBE_WAIT_MS * 1_000_000;
                while (System.nanoTime() < until) {
                    if (payloads(PROBE_TOPIC).contains(probe)) {
                        return;
                    }
                    Thread.sleep(50);
                }
                process.destroy();
                process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                start();
            }
            throw new AssertionError("mosquitto_sub -t " + filter + " never got its probe back: " + all());
        }

        /** Lines received so far whose topic is {@code topic}: their payloads. */
        List<String> payloads(String topic) throws IOException {
            List<String> found = new ArrayList<>();
            if (!Files.exists(out)) {
                return found;
            }
            for (String line : Files.readAllLines(out)) {
                if (line.startsWith(topic + " ")) {
                    found.add(line.substring(topic.length() + 1));
                }
            }
            return found;
        }

        String all() throws IOException {
            return Files.exists(out) ? Files.readString(out) : "";
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
