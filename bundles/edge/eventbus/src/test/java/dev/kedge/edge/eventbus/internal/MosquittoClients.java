package dev.kedge.edge.eventbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.testing.RequiredService;


/**
 * Debian's mosquitto_pub / mosquitto_sub (and mosquitto) as foreign processes, started with ProcessBuilder and
 * stopped by PID. Missing binaries fail the test under CI=true and skip it locally.
 */
final class MosquittoClients {
    private MosquittoClients() {
    }

    static void require(String... binaries) {
        for (String b : binaries) {
            boolean found = Files.isExecutable(Path.of("/usr/bin", b)) || Files.isExecutable(Path.of("/usr/sbin", b));
            RequiredService.require(found, b + " is not installed (Debian mosquitto / mosquitto-clients)");
        }
    }


    /** Runs mosquitto_pub once and checks that it succeeded. */
    static void pub(int port, String topic, String payload, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "-t", topic, "-m", payload, "-q", "1"));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "mosquitto_pub did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), "mosquitto_pub failed: " + out);
        } finally {
            p.destroyForcibly();
        }
    }

    /** A running mosquitto_sub printing "topic payload" lines. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>(100_000);

        Sub(int port, String... topics) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(port), "-v", "-q", "1"));
            for (String t : topics) {
                cmd.add("-t");
                cmd.add(t);
            }
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.offer(line);
                    }
                } catch (IOException e) {
                    // process ended
                }
            }, "test-mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line within {@code timeout}, or null. */
        String next(Duration timeout) throws InterruptedException {
            return lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** Waits for a line equal to {@code expected}, skipping others; fails after {@code timeout}. */
        void expect(String expected, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < deadline) {
                String l = lines.poll(10, TimeUnit.MILLISECONDS);
                if (l == null) {
                    continue;
                }
                if (l.equals(expected)) {
                    return;
                }
                seen.add(l);
            }
            throw new AssertionError("mosquitto_sub did not print \"" + expected + "\" within " + timeout
                    + "; printed " + seen);
        }

        long pid() {
            return process.pid();
        }

        @Override
        public void close() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** A private Mosquitto broker on a loopback port, for restart tests (never the shared one). */
    static final class Broker implements AutoCloseable {
        private final int port;
        private final Path conf;
        private Process process;

        Broker(Path dir, int port) throws IOException {
            this.port = port;
            this.conf = dir.resolve("mosquitto-" + port + ".conf");
            Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        }

        Broker start() throws Exception {
            process = new ProcessBuilder("mosquitto", "-c", conf.toString()).redirectErrorStream(true)
                    .redirectOutput(conf.resolveSibling("mosquitto-" + port + ".log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                    return this;
                } catch (IOException e) {
                    Thread.sleep(50);
                }
            }
            throw new AssertionError("mosquitto did not listen on " + port);
        }

        void stop() throws InterruptedException {
            if (process != null) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                process = null;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
