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

    /** A running {@code mosquitto_sub -v}: every message it got, as "topic payload" lines, in a file. */
    static final class Subscriber implements AutoCloseable {
        private final Process process;
        private final Path out;

        Subscriber(int port, String filter, Path out) throws IOException {
            this.out = out;
            Files.deleteIfExists(out);
            List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-q", "1", "-v", "-t", filter));
            process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(out.toFile())).start();
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
