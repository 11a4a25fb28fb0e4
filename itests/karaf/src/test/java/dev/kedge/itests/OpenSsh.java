package dev.kedge.itests;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * OpenSSH's client ({@code ssh}, {@code ssh-keygen} from the machine) against a Kedge console: the foreign client an
 * operator uses. Logs in with a key (BatchMode: never a password prompt), trusts the host key it is shown.
 */
final class OpenSsh {
    private final Path key;
    private final int port;
    private final String user;

    private OpenSsh(Path key, int port, String user) {
        this.key = key;
        this.port = port;
        this.user = user;
    }

    /** A new EC key in {@code dir}, its public half added for {@code user} to the distribution's keys.properties. */
    static OpenSsh withNewKey(Path dir, Path karafHome, int port, String user) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ecdsa");
        Files.deleteIfExists(key);
        Files.deleteIfExists(dir.resolve("id_ecdsa.pub"));
        KedgeProcess.Result made = KedgeProcess.run(dir, List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N",
                "", "-f", key.toString()), java.util.Map.of(), 30);
        if (made.exitCode() != 0) {
            throw new IllegalStateException("ssh-keygen failed: " + made.output());
        }
        String publicKey = Files.readString(dir.resolve("id_ecdsa.pub")).trim().split("\\s+")[1];
        Files.writeString(karafHome.resolve("etc/keys.properties"), "\n" + user + "=" + publicKey + ",_g_:admingroup\n",
                java.nio.file.StandardOpenOption.APPEND);
        return new OpenSsh(key, port, user);
    }

    private List<String> command(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-p", String.valueOf(port),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10"));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /** {@code ssh user@127.0.0.1 'command'}: an exec request, no terminal. */
    KedgeProcess.Result exec(String consoleCommand) throws Exception {
        List<String> cmd = command(user + "@127.0.0.1", consoleCommand);
        return KedgeProcess.run(key.getParent(), cmd, java.util.Map.of(), 60);
    }

    /**
     * An interactive session on a terminal ({@code ssh -tt}): waits for the prompt, types each line and waits for its
     * expected text, then types {@code logout}. Returns everything the console printed; fails when a wait runs out.
     */
    String interactive(List<String> lines, List<String> expected, int seconds) throws Exception {
        Process p = new ProcessBuilder(command("-tt", user + "@127.0.0.1")).redirectErrorStream(true).start();
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (Exception e) {
                // the process ended
            }
        }, "openssh-reader");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (OutputStream typing = p.getOutputStream()) {
            awaitText(seen, "()>", 0, deadline, p);
            for (int i = 0; i < lines.size(); i++) {
                int from = seen.length();
                typing.write((lines.get(i) + "\r").getBytes(StandardCharsets.UTF_8));
                typing.flush();
                awaitText(seen, expected.get(i), from, deadline, p);
            }
            typing.write("logout\r".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            if (!p.waitFor(Math.max(1, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime())), TimeUnit.SECONDS)) {
                throw new AssertionError("ssh did not end after logout; it printed: " + seen);
            }
            reader.join(5_000);
            if (p.exitValue() != 0) {
                throw new AssertionError("ssh ended with " + p.exitValue() + "; it printed: " + seen);
            }
            return seen.toString();
        } finally {
            p.destroyForcibly();
        }
    }

    private static void awaitText(StringBuffer seen, String text, int from, long deadline, Process p)
            throws InterruptedException {
        while (seen.indexOf(text, from) < 0) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                throw new AssertionError("no '" + text + "' from the console; it printed: " + seen);
            }
            Thread.sleep(50);
        }
    }
}
