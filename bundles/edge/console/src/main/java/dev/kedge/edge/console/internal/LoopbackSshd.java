package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.function.IntSupplier;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.SharedScheduler;

/**
 * Apache SSHD on a loopback port of its own, behind the console's listener: its host key, the JAAS logins, and its
 * stop after {@code sshdIdleStop} without connections; the next connection starts it again. This is the only class of
 * the console's own whose fields and signatures name SSHD's types, and {@link ConsoleComponent} creates it with the
 * first connection: the JVM loads the types a class names when it verifies it, so an edge nobody connects to loads
 * no SSHD class (about 50 at each start while the component named them).
 */
final class LoopbackSshd {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackSshd.class);

    private final ConsoleSettings settings;
    private final ShellSessions shell;
    private final ThreadFactory threads;
    private final SharedScheduler scheduler;
    private final IntSupplier openConnections;
    private final JaasLogin login; // outlives SSHD's restarts: its count of refused logins is the console's
    private SshServer server; // guarded by this
    private ScheduledFuture<?> idleStop; // guarded by this
    private boolean closed; // guarded by this

    /** @param openConnections the console's connections open now: SSHD stops only when none is */
    LoopbackSshd(ConsoleSettings settings, ShellSessions shell, ThreadFactory threads, SharedScheduler scheduler,
            IntSupplier openConnections) {
        this.settings = settings;
        this.shell = shell;
        this.threads = threads;
        this.scheduler = scheduler;
        this.openConnections = openConnections;
        this.login = new JaasLogin(settings.realm(), settings.role(),
                new UsersFile(ConsoleSettings.etc().resolve("users.properties"), settings.passwordDigest()));
    }

    /** SSHD's loopback port, SSHD started now if it does not run. */
    synchronized int port() throws IOException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (server == null) {
            long t0 = System.nanoTime();
            SshServer sshd = build();
            sshd.start();
            server = sshd;
            restrictHostKey();
            LOG.info("SSHD started for the first console connection in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
        return server.getPort();
    }

    synchronized boolean running() {
        return server != null;
    }

    long refusedLogins() {
        return login.refused.sum();
    }

    private SshServer build() throws IOException {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        sshd.setPort(0);
        sshd.setKeyPairProvider(hostKey());
        sshd.setPasswordAuthenticator(login);
        sshd.setPublickeyAuthenticator(login);
        sshd.setShellFactory(channel -> {
            SessionFactory sessions = shell.await(Duration.ZERO);
            return sessions == null ? new ShellMissing() : new ConsoleShell(sessions, threads);
        });
        sshd.setCommandFactory((channel, command) -> {
            SessionFactory sessions = shell.await(Duration.ZERO);
            return sessions == null ? new ShellMissing() : new ConsoleExec(sessions, threads, command);
        });
        CoreModuleProperties.IDLE_TIMEOUT.set(sshd, settings.idleTimeout());
        CoreModuleProperties.NIO_WORKERS.set(sshd, settings.ioThreads());
        return sshd;
    }

    /** The host key: kept in the configured file, made on first use (EC P-256, quick to make on a gateway). */
    private KeyPairProvider hostKey() throws IOException {
        Files.createDirectories(settings.hostKey().getParent());
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(settings.hostKey());
        keys.setAlgorithm("EC");
        keys.setKeySize(256);
        keys.loadKeys(null); // made (or read) now, not during the first key exchange
        return keys;
    }

    /** The private key is the operator's alone. */
    private void restrictHostKey() {
        try {
            Files.setPosixFilePermissions(settings.hostKey(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("could not make {} private: {}", settings.hostKey(), e.toString());
        }
    }

    /** The console's last connection closed: SSHD stops after its idle time, unless one comes meanwhile. */
    synchronized void idle() {
        if (closed || server == null || settings.sshdIdleStop().isZero()) {
            return;
        }
        if (idleStop != null) {
            idleStop.cancel(false);
        }
        idleStop = scheduler.schedule("console: SSHD idle", this::stopIfIdle, settings.sshdIdleStop());
    }

    private synchronized void stopIfIdle() {
        idleStop = null;
        if (closed || server == null || openConnections.getAsInt() > 0) {
            return; // a connection came meanwhile (counted before it asks for the port, under this lock)
        }
        stopServer();
        LOG.info("SSHD stopped: no console connection for {} s; the next one starts it again",
                settings.sshdIdleStop().toSeconds());
    }

    /** For good: {@link #port} refuses from now on. */
    synchronized void close() {
        closed = true;
        if (idleStop != null) {
            idleStop.cancel(false);
        }
        stopServer();
    }

    private void stopServer() {
        if (server == null) {
            return;
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("SSHD did not stop cleanly: {}", e.toString());
        }
        server = null;
    }
}
