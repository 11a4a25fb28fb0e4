package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code openssl} CLI in a directory, bounded by a timeout: the independent judge of our output. */
final class OpenSsl {
    private static final long TIMEOUT_S = 30;

    record Result(int exit, String output) {
    }

    private final Path dir;

    OpenSsl(Path dir) {
        this.dir = dir;
    }

    /** Runs {@code openssl args…}; stdout and stderr merged. */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("openssl");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(".openssl.out").toFile()).start();
        if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("openssl " + String.join(" ", args) + " did not finish within " + TIMEOUT_S + " s");
        }
        return new Result(p.exitValue(), Files.readString(dir.resolve(".openssl.out"), StandardCharsets.UTF_8));
    }

    /** Runs and requires exit code 0; returns the output. */
    String ok(String... args) throws IOException, InterruptedException {
        Result r = run(args);
        assertEquals(0, r.exit(), () -> "openssl " + String.join(" ", args) + " failed:\n" + r.output());
        return r.output();
    }

    Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    String read(String name) throws IOException {
        return Files.readString(dir.resolve(name), StandardCharsets.US_ASCII);
    }

    byte[] readBytes(String name) throws IOException {
        return Files.readAllBytes(dir.resolve(name));
    }
}
