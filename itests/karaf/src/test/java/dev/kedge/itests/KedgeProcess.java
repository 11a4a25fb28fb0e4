package dev.kedge.itests;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of our distributions unpacked and run as a real process, driven the way an operator does: bin/start,
 * bin/client, bin/stop. Always stop it (by PID) in a finally block or an @After.
 */
public final class KedgeProcess implements AutoCloseable {
    private final Path home;
    private final Map<String, String> env;

    private KedgeProcess(Path home, Map<String, String> env) {
        this.home = home;
        this.env = env;
    }

    /** Unpacks {@code kedge.<side>.tarball} into a fresh {@code dir}. */
    public static KedgeProcess unpack(String side, Path dir, Map<String, String> env) throws Exception {
        String tarball = System.getProperty("kedge." + side + ".tarball");
        if (tarball == null) {
            throw new IllegalStateException("system property kedge." + side + ".tarball not set");
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        run(dir, List.of("tar", "xzf", tarball, "--strip-components=1"), Map.of(), 60);
        return new KedgeProcess(dir, env);
    }

    public Path home() {
        return home;
    }

    public void start() throws Exception {
        Result r = run(home, List.of("bin/start"), env, 30);
        if (r.exitCode != 0) {
            throw new IllegalStateException("bin/start failed: " + r.output);
        }
    }

    /** The JVM's PID from karaf.pid, waiting up to {@code seconds} for Karaf to write it. */
    public long pid(int seconds) throws Exception {
        Path pidFile = home.resolve("karaf.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (Files.exists(pidFile)) {
                String s = Files.readString(pidFile).trim();
                if (!s.isEmpty()) {
                    return Long.parseLong(s);
                }
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("no karaf.pid after " + seconds + " s in " + home);
    }

    /** Runs console commands through bin/client (SSH) as the given user; returns exit code and output. */
    public Result client(String user, String password, String commands) throws Exception {
        return client(user, password, commands, 60);
    }

    public Result client(String user, String password, String commands, int timeoutSeconds) throws Exception {
        List<String> cmd = List.of("bin/client", "-u", user, "-p", password, "-r", "1", "-b");
        return run(home, cmd, env, timeoutSeconds, commands);
    }

    /** One command as bin/client's argument, the form Karaf's manual shows, with stdin at its end (/dev/null). */
    public Result command(String user, String password, String command) throws Exception {
        return run(home, List.of("bin/client", "-u", user, "-p", password, "-r", "1", command), env, 60);
    }

    /** Polls {@code commands} until the output contains {@code expected}; returns the ms it took. */
    public long awaitConsole(String user, String password, String commands, String expected, int seconds)
            throws Exception {
        long start = System.nanoTime();
        awaitOutput(user, password, commands, expected, seconds);
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Polls {@code commands} until the output contains {@code expected}; returns that output. */
    public String awaitOutput(String user, String password, String commands, String expected, int seconds)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        Result last = null;
        while (System.nanoTime() < deadline) {
            last = client(user, password, commands);
            if (last.exitCode == 0 && last.output.contains(expected)) {
                return last.output;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("console never showed '" + expected + "' within " + seconds + " s; last: " + last);
    }

    /**
     * Sets keys in {@code etc/<pid>.cfg} before start (existing lines with those keys are replaced), as a gateway
     * vendor would edit the file.
     */
    public void writeConfig(String pid, Map<String, String> values) throws IOException {
        Path file = home.resolve("etc").resolve(pid + ".cfg");
        List<String> lines = Files.exists(file) ? new ArrayList<>(Files.readAllLines(file)) : new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            lines.removeIf(l -> l.trim().matches(java.util.regex.Pattern.quote(e.getKey()) + "\\s*=.*"));
            lines.add(e.getKey() + " = " + e.getValue());
        }
        Files.write(file, lines);
    }

    /** Resident set size of the JVM in MiB, from /proc. */
    public double rssMiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid(5)), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /** SIGKILL of the JVM (by PID), as a power cut would do; Karaf's pid file is removed so it can start again. */
    public void kill() throws Exception {
        long pid = pid(1);
        ProcessHandle.of(pid).ifPresent(p -> {
            p.destroyForcibly();
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("pid " + pid + " survived SIGKILL", e);
            }
        });
        Files.deleteIfExists(home.resolve("karaf.pid"));
    }

    /** bin/stop, then waits for the PID to go; kills it (by PID) if it does not. */
    @Override
    public void close() throws Exception {
        if (!Files.exists(home.resolve("karaf.pid"))) {
            return;
        }
        stop();
        Files.deleteIfExists(home.resolve("karaf.pid"));
    }

    private void stop() throws Exception {
        long pid = pid(1);
        run(home, List.of("bin/stop"), env, 30);
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        });
    }

    public record Result(int exitCode, String output) {
    }

    static Result run(Path dir, List<String> cmd, Map<String, String> env, int timeoutSeconds, String... stdin)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().remove("KEDGE_ADMIN_PASSWORD");
        pb.environment().putAll(env);
        File out = Files.createTempFile("kedge-proc", ".out").toFile();
        pb.redirectOutput(out);
        if (stdin.length == 0) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        }
        Process p = pb.start();
        try {
            if (stdin.length > 0) {
                try (var in = p.getOutputStream()) {
                    in.write(String.join("\n", stdin).concat("\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out.toPath()));
        } finally {
            out.delete();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
