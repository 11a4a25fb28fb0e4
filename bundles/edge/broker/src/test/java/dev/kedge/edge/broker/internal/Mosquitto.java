package dev.kedge.edge.broker.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.kedge.core.testing.RequiredService;

/**
 * Debian's mosquitto_pub and mosquitto_sub as foreign clients, run as processes and stopped by their PID. Missing
 * binaries fail the test under CI=true and skip it locally.
 */
final class Mosquitto {
    private Mosquitto() {
    }

    static void require() {
        for (String b : new String[] {"mosquitto_pub", "mosquitto_sub"}) {
            RequiredService.require(Files.isExecutable(Path.of("/usr/bin", b)),
                    b + " is not installed (Debian mosquitto-clients)");
        }
    }

    record Result(int exit, String output) {
    }

    /** Runs mosquitto_pub against the broker on {@code port} and returns its exit code and output. */
    static Result pub(int port, String... args) throws Exception {
        return run("mosquitto_pub", port, args);
    }

    /** Runs mosquitto_sub to its end (use -C and -W) and returns its exit code and output. */
    static Result subOnce(int port, String... args) throws Exception {
        return run("mosquitto_sub", port, args);
    }

    private static Result run(String binary, int port, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(binary, "-h", "127.0.0.1", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError(cmd + " did not finish");
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /** A running mosquitto_sub; each output line is queued. */
    static final class Sub implements AutoCloseable {
        private final Process process;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);

        Sub(int port, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of("mosquitto_sub", "-h", "127.0.0.1", "-p",
                    Integer.toString(port)));
            cmd.addAll(List.of(args));
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null;) {
                        lines.offer(line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "test-mosquitto_sub-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next line within {@code millis}, or null. */
        String next(long millis) throws InterruptedException {
            return lines.poll(millis, TimeUnit.MILLISECONDS);
        }

        /** SIGKILL: the client's socket closes without DISCONNECT. */
        void kill() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            process.waitFor(5, TimeUnit.SECONDS);
        }

        /** SIGTERM: mosquitto_sub disconnects cleanly. */
        @Override
        public void close() throws InterruptedException {
            ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
