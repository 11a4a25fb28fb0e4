package dev.kedge.itests.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Consumer;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * The cloud's Karaf console over SSH (what {@code bin/client} does, without a JVM start per call). Karaf ends the
 * SSH session after an exec, so {@link #exec} logs in afresh each time; {@link #shell} keeps one shell open and
 * takes commands line by line, which is what a steady command stream (the downstream driver) needs.
 * Loopback only; the host key is the distribution's own, generated at first start.
 */
final class KarafConsole implements AutoCloseable {
    private final SshClient client;
    private final String host;
    private final int port;
    private final String user;
    private final String password;

    KarafConsole(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier((session, remote, key) -> true); // loopback, the distribution's own key
        client.start();
    }

    private ClientSession login() throws IOException {
        ClientSession s = client.connect(user, host, port).verify(Duration.ofSeconds(15)).getSession();
        try {
            s.addPasswordIdentity(password);
            s.auth().verify(Duration.ofSeconds(15));
            return s;
        } catch (IOException | RuntimeException e) {
            s.close(true);
            throw e;
        }
    }

    /** Runs {@code script} (commands separated by newlines) in a fresh session and returns what it printed. */
    String exec(String script, Duration timeout) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (ClientSession s = login(); ChannelExec ch = s.createExecChannel(script)) {
            ch.setOut(buf);
            ch.setErr(buf);
            ch.open().verify(timeout);
            var events = ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                throw new IllegalStateException("console command did not finish within " + timeout + ": "
                        + script.lines().findFirst().orElse(""));
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** A long-lived console: write command lines, every output line goes to {@code lines}. */
    Shell shell(Consumer<String> lines) throws Exception {
        return new Shell(lines);
    }

    final class Shell implements AutoCloseable {
        private final ClientSession session;
        private final ChannelShell channel;
        private final OutputStream stdin;

        Shell(Consumer<String> lines) throws Exception {
            session = login();
            channel = session.createShellChannel();
            // Karaf's shell needs a terminal; a dumb one has no line editor redrawing (and highlighting) each key
            channel.setUsePty(true);
            channel.setPtyType("dumb");
            OutputStream sink = new LineSink(lines);
            channel.setOut(sink);
            channel.setErr(sink);
            channel.open().verify(Duration.ofSeconds(15));
            stdin = channel.getInvertedIn();
        }

        synchronized void send(String commands) throws IOException {
            stdin.write(commands.getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }

        @Override
        public void close() {
            try {
                send("logout\n");
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(5));
                channel.close(false).await(Duration.ofSeconds(5));
            } catch (IOException e) {
                // closing anyway
            }
            session.close(true);
        }
    }

    /** Splits a byte stream into lines (UTF-8). */
    private static final class LineSink extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineSink(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n' || b == '\r') {
                if (line.size() > 0) {
                    lines.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                }
            } else if (line.size() < 1 << 20) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }
    }

    @Override
    public void close() {
        client.stop();
    }
}
