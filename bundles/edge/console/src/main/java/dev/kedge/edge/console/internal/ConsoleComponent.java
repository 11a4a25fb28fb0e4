package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.karaf.shell.api.console.SessionFactory;
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
import dev.kedge.core.net.Acceptor;
import dev.kedge.core.net.Listening;
import dev.kedge.edge.console.ConsoleStatus;
import dev.kedge.edge.console.SshConsole;

/**
 * The edge's SSH console: Karaf's shell sessions served by Apache SSHD on the JDK's crypto, logins checked by Karaf's
 * JAAS realm. It replaces Karaf's {@code ssh} feature on the edge, whose console bundle requires BouncyCastle (10 MB
 * of the tarball) for the host key alone.
 * <p>
 * SSHD starts on demand: the console's port is a plain listener (on core's one accept thread), and SSHD
 * ({@link LoopbackSshd}), with its 430-odd classes and the host key, is started with the first connection, on a
 * loopback port of its own. Each connection is relayed to it (two threads while it lasts; at most
 * {@link #MAX_CONNECTIONS} at once): no connection is refused while SSHD starts, and SSHD itself is never exposed. A
 * minute after the last connection closed ({@code sshdIdleStop}) SSHD stops, and its three threads with it: an
 * operator's visit leaves the edge as it was. Karaf's shell and its features
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
    /** The kernel's backlog, and the connections that may wait while SSHD starts. */
    private static final int BACKLOG = 50;
    /** How long the first connection waits for the {@code feature:} commands. */
    static final Duration FEATURES_TIMEOUT = Duration.ofSeconds(30);
    /** How long the first connection waits for Karaf's shell; then it is told the shell is missing. */
    static final Duration SHELL_TIMEOUT = Duration.ofSeconds(30);

    private final ConsoleSettings settings;
    private final ShellSessions shell;
    private final OnDemand onDemand; // null in unit tests: no framework
    private final ThreadFactory threads = DaemonThreads.factory("console");
    private final Listening listening;
    private LoopbackSshd sshd; // guarded by this; made by the first connection, so that no SSHD class loads before
    private boolean stopped; // guarded by this
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final SharedScheduler scheduler;
    private final FeaturesOnDemand features;
    private boolean featuresStarted; // guarded by this

    /**
     * What the console starts on demand in the framework: Karaf's shell (its bundle and the tracking of its session
     * factory) and Karaf's features service. The component parks the bundles itself when the framework stops.
     */
    private record OnDemand(OnDemandBundles shellBundles, ShellOnDemand shell, OnDemandBundles featureBundles,
            FeaturesOnDemand features) {
        static OnDemand of(BundleContext context) {
            OnDemandBundles shellBundles = ShellOnDemand.bundles(context);
            ShellOnDemand shell = new ShellOnDemand(context, shellBundles);
            OnDemandBundles featureBundles = FeaturesOnDemand.bundles(context);
            return new OnDemand(shellBundles, shell, featureBundles,
                    new FeaturesOnDemand(featureBundles, () -> featureCommandsThere(shell)));
        }
    }

    @Activate
    public ConsoleComponent(@Reference SharedScheduler scheduler, @Reference Acceptor acceptor, ConsoleConfig config,
            BundleContext context) throws IOException {
        this(scheduler, acceptor, config, context, OnDemand.of(context));
    }

    private ConsoleComponent(SharedScheduler scheduler, Acceptor acceptor, ConsoleConfig config,
            BundleContext context, OnDemand onDemand) throws IOException {
        this(onDemand.shell(), scheduler, acceptor, config, onDemand.features(), onDemand);
        if (!settings.shellOnDemand()) {
            onDemand.shellBundles().keepStarted();
        }
        if (!settings.featuresOnDemand()) {
            onDemand.featureBundles().keepStarted();
        }
        if ((settings.shellOnDemand() || settings.featuresOnDemand())
                && Boolean.parseBoolean(context.getProperty("karaf.startLocalConsole"))) {
            threads.newThread(this::startShellAndFeatures).start(); // the local console is a console too
        }
    }

    /** Unit tests: outside a framework, nothing is parked. */
    ConsoleComponent(ShellSessions shell, SharedScheduler scheduler, Acceptor acceptor, ConsoleConfig config,
            FeaturesOnDemand features) throws IOException {
        this(shell, scheduler, acceptor, config, features, null);
    }

    private ConsoleComponent(ShellSessions shell, SharedScheduler scheduler, Acceptor acceptor, ConsoleConfig config,
            FeaturesOnDemand features, OnDemand onDemand) throws IOException {
        this.settings = ConsoleSettings.of(config);
        this.shell = shell;
        this.scheduler = scheduler;
        this.features = features;
        this.onDemand = onDemand;
        try {
            // a slow first connection (SSHD starting) holds up only the connections queued behind it on this lane
            listening = acceptor.listen("console-accept", new InetSocketAddress(settings.host(), settings.port()),
                    BACKLOG, this::accepted);
        } catch (IOException e) {
            throw new IOException("SSH console cannot listen on " + settings.host() + ":" + settings.port(), e);
        }
        LOG.info("SSH console on {}:{} (realm {}, role {}); SSHD starts with the first connection", settings.host(),
                port(), settings.realm(), settings.role().isEmpty() ? "any" : settings.role());
    }

    /** The bound port: the configured one, or the one the system chose for 0. */
    int port() {
        return listening.port();
    }

    /** On the listener's accept lane: SSHD started if need be (slow the first time), then the relay. */
    private void accepted(SocketChannel client) {
        accepted.increment();
        if (open.incrementAndGet() > MAX_CONNECTIONS) {
            open.decrementAndGet();
            refused.increment();
            LOG.warn("SSH console: {} connections open already; one more closed", MAX_CONNECTIONS);
            closeQuietly(client);
            return;
        }
        int sshdPort;
        try {
            sshdPort = sshdPort();
        } catch (ClosedChannelException stopping) {
            open.decrementAndGet();
            closeQuietly(client);
            return;
        } catch (IOException | RuntimeException e) {
            LOG.error("SSH console: SSHD did not start; connection refused", e);
            refused.increment();
            closed();
            closeQuietly(client);
            return;
        }
        relay(client, sshdPort);
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
        if (sshd == null) {
            sshd = new LoopbackSshd(settings, shell, threads, scheduler, open::get);
        }
        return sshd.port();
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

    /** A console connection, copied both ways to SSHD until either side ends. */
    private void relay(SocketChannel client, int sshdPort) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), sshdPort), 5_000);
            Socket clientSocket = client.socket();
            LOG.debug("console connection from {}", clientSocket.getRemoteSocketAddress());
            threads.newThread(() -> pump(clientSocket, upstream)).start();
            threads.newThread(() -> {
                pump(upstream, clientSocket);
                closed();
            }).start();
        } catch (IOException | RuntimeException e) {
            LOG.warn("SSH console: connection not relayed to SSHD: {}", e.toString());
            closed();
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** A connection ended: the last one starts SSHD's idle time. */
    private void closed() {
        if (open.decrementAndGet() == 0) {
            stopSshdLater();
        }
    }

    private synchronized void stopSshdLater() {
        if (sshd != null) {
            sshd.idle();
        }
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
    void stop() {
        synchronized (this) {
            stopped = true;
        }
        listening.close(); // outside the lock: it waits for a handler, which may wait for the lock to see stopped
        stopLocked();
    }

    private synchronized void stopLocked() {
        if (sshd != null) {
            sshd.close();
        }
        if (onDemand == null) {
            return;
        }
        if (settings.featuresOnDemand() && onDemand.featureBundles().frameworkStopping()) {
            onDemand.featureBundles().park();
        }
        if (settings.shellOnDemand() && onDemand.shellBundles().frameworkStopping()) {
            onDemand.shellBundles().park();
        }
        onDemand.shell().close();
    }

    /** Whether SSHD runs (it starts with the first connection). */
    synchronized boolean sshdStarted() {
        return sshd != null && sshd.running();
    }

    @Override
    public synchronized ConsoleStatus status() {
        return new ConsoleStatus(settings.host() + ":" + port(), sshdStarted(), open.get(), accepted.sum(),
                sshd == null ? 0 : sshd.refusedLogins(), refused.sum());
    }
}
