package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;
import dev.kedge.edge.console.ConsoleStatus;
import dev.kedge.edge.console.SshConsole;

/**
 * The edge's SSH console: Karaf's shell sessions served by Apache SSHD on the JDK's crypto, logins checked by Karaf's
 * JAAS realm. It replaces Karaf's {@code ssh} feature on the edge, whose console bundle requires BouncyCastle (10 MB
 * of the tarball) for the host key alone.
 * <p>
 * SSHD starts on demand: the console's port is a plain listener (one thread), and SSHD, with its 430-odd classes and
 * the host key, is started with the first connection, on a loopback port of its own. Each connection is relayed to it
 * (two threads while it lasts; at most {@link #MAX_CONNECTIONS} at once): no connection is refused while SSHD
 * starts, and SSHD itself is never exposed. A minute after the last connection closed ({@code sshdIdleStop}) SSHD
 * stops, and its three threads with it: an operator's visit leaves the edge as it was. Karaf's shell and its features
 * service start with the first connection too, before SSHD ({@link ShellOnDemand}, {@link FeaturesOnDemand}).
 * A configuration change restarts the component with the new settings.
 */
// immediate: the port listens from the start; nothing but console:status asks for the SshConsole service
@Component(configurationPid = ConsoleConfig.PID, service = SshConsole.class, immediate = true)
@Designate(ocd = ConsoleConfig.class)
public final class ConsoleComponent implements SshConsole {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleComponent.class);
    /** Console connections at once; more are closed (and counted): an operator's console, not a service. */
    static final int MAX_CONNECTIONS = 16;
    /** How long the first connection waits for the {@code feature:} commands. */
    static final Duration FEATURES_TIMEOUT = Duration.ofSeconds(30);
    /** How long the first connection waits for Karaf's shell; then it is told the shell is missing. */
    static final Duration SHELL_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleSettings settings;
    private final ShellSessions shell;
    private ShellOnDemand shellOnDemand; // set once by the activation; none in unit tests
    private final ThreadFactory threads = DaemonThreads.factory("console");
    private final ServerSocketChannel listener;
    private SshServer server; // guarded by this
    private boolean stopped; // guarded by this
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final JaasLogin login;
    private final SharedScheduler scheduler;
    private ScheduledFuture<?> idleStop; // guarded by this
    private final FeaturesOnDemand features;
    private boolean featuresStarted; // guarded by this

    @Activate
    public ConsoleComponent(@Reference SharedScheduler scheduler, ConsoleConfig config, BundleContext context)
            throws IOException {
        this(scheduler, config, context, new ShellOnDemand(context));
    }

    private ConsoleComponent(SharedScheduler scheduler, ConsoleConfig config, BundleContext context,
            ShellOnDemand shell) throws IOException {
        this(shell, scheduler, config, new FeaturesOnDemand(context, () -> featureCommandsThere(shell)));
        shellOnDemand = shell;
        if (!settings.shellOnDemand()) {
            shell.keepStarted();
        }
        if (!settings.featuresOnDemand()) {
            features.keepStarted();
        }
        if ((settings.shellOnDemand() || settings.featuresOnDemand())
                && Boolean.parseBoolean(context.getProperty("karaf.startLocalConsole"))) {
            threads.newThread(this::startShellAndFeatures).start(); // the local console is a console too
        }
    }

    ConsoleComponent(ShellSessions shell, SharedScheduler scheduler, ConsoleConfig config,
            FeaturesOnDemand features) throws IOException {
        this.settings = ConsoleSettings.of(config);
        this.shell = shell;
        this.scheduler = scheduler;
        this.features = features;
        this.login = new JaasLogin(settings.realm(), settings.role(),
                new UsersFile(ConsoleSettings.etc().resolve("users.properties"), settings.passwordDigest()));
        listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(settings.host(), settings.port()), 50);
        } catch (IOException e) {
            listener.close();
            throw new IOException("SSH console cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        threads.newThread(this::accept).start();
        LOG.info("SSH console on {}:{} (realm {}, role {}); SSHD starts with the first connection", settings.host(),
                port(), settings.realm(), settings.role().isEmpty() ? "any" : settings.role());
    }

    /** The bound port: the configured one, or the one the system chose for 0. */
    int port() {
        return listener.socket().getLocalPort();
    }

    private void accept() {
        while (true) {
            SocketChannel client;
            try {
                client = listener.accept();
            } catch (ClosedChannelException stopping) {
                return;
            } catch (IOException e) {
                LOG.warn("SSH console: accept failed: {}", e.toString());
                continue;
            }
            accepted.increment();
            if (open.incrementAndGet() > MAX_CONNECTIONS) {
                open.decrementAndGet();
                refused.increment();
                LOG.warn("SSH console: {} connections open already; one more closed", MAX_CONNECTIONS);
                closeQuietly(client);
                continue;
            }
            int sshdPort;
            try {
                sshdPort = sshdPort();
            } catch (ClosedChannelException stopping) {
                closeQuietly(client);
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("SSH console: SSHD did not start; connection refused", e);
                refused.increment();
                closed();
                closeQuietly(client);
                continue;
            }
            relay(client, sshdPort);
        }
    }

    private static boolean featureCommandsThere(ShellSessions shell) {
        SessionFactory sessions = shell.await(Duration.ZERO);
        return sessions != null && sessions.getRegistry().getCommand("feature", "install") != null;
    }

    /** SSHD's loopback port, SSHD (and Karaf's shell and features service) started now if not yet. */
    private synchronized int sshdPort() throws IOException {
        if (stopped) {
            throw new ClosedChannelException();
        }
        startShellAndFeatures();
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

    /**
     * Karaf's shell, if the edge started without it, and then its features service for the {@code feature:} commands
     * (once). Without the shell in time a connection gets {@link ShellMissing}; the next one tries again.
     */
    private synchronized void startShellAndFeatures() {
        if (stopped || shell.await(SHELL_TIMEOUT) == null) {
            return;
        }
        if (!featuresStarted && settings.featuresOnDemand()) {
            featuresStarted = true;
            features.startForConsole(FEATURES_TIMEOUT);
        }
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

    /** A console connection, copied both ways to SSHD until either side ends. */
    private void relay(SocketChannel client, int sshdPort) {
        Socket sshd = new Socket();
        try {
            sshd.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sshdPort), 5_000);
            Socket clientSocket = client.socket();
            LOG.debug("console connection from {}", clientSocket.getRemoteSocketAddress());
            threads.newThread(() -> pump(clientSocket, sshd)).start();
            threads.newThread(() -> {
                pump(sshd, clientSocket);
                closed();
            }).start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("SSH console: connection not relayed to SSHD: {}", e.toString());
            closed();
            closeQuietly(client);
            closeQuietly(sshd);
        }
    }

    /** A connection ended: the last one starts SSHD's idle time. */
    private void closed() {
        if (open.decrementAndGet() == 0) {
            stopSshdLater();
        }
    }

    private synchronized void stopSshdLater() {
        if (stopped || server == null || settings.sshdIdleStop().isZero()) {
            return;
        }
        if (idleStop != null) {
            idleStop.cancel(false);
        }
        idleStop = scheduler.schedule("console: SSHD idle", this::stopSshdIfIdle, settings.sshdIdleStop());
    }

    private synchronized void stopSshdIfIdle() {
        idleStop = null;
        if (stopped || server == null || open.get() > 0) {
            return; // a connection came meanwhile (counted before it asks for SSHD's port, under this lock)
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("SSHD did not stop cleanly: {}", e.toString());
        }
        server = null;
        LOG.info("SSHD stopped: no console connection for {} s; the next one starts it again",
                settings.sshdIdleStop().toSeconds());
    }

    private static void pump(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side ended
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Deactivate
    synchronized void stop() throws IOException {
        stopped = true;
        if (idleStop != null) {
            idleStop.cancel(false);
        }
        listener.close(); // ends a waiting accept
        if (server != null) {
            server.stop(true);
        }
        if (settings.featuresOnDemand() && features.frameworkStopping()) {
            features.park();
        }
        if (shellOnDemand != null) {
            if (settings.shellOnDemand() && shellOnDemand.frameworkStopping()) {
                shellOnDemand.park();
            }
            shellOnDemand.close();
        }
    }

    /** Whether SSHD runs (it starts with the first connection). */
    synchronized boolean sshdStarted() {
        return server != null;
    }

    @Override
    public ConsoleStatus status() {
        return new ConsoleStatus(settings.host() + ":" + port(), sshdStarted(), open.get(), accepted.sum(),
                login.refused.sum(), refused.sum());
    }
}
