package dev.kedge.edge.broker.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.core.net.Acceptor;
import dev.kedge.core.net.Listening;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.edge.broker.BrokerClient;
import dev.kedge.edge.broker.BrokerStats;
import dev.kedge.edge.broker.MqttBroker;

/**
 * The embedded MQTT 3.1.1 broker on loopback port 1884 by default. Threads: one reader per connected client (core's
 * {@link Acceptor} accepts, on its one thread for every listener of the JVM); writes run on per-connection lanes over
 * core's shared workers, timers (session expiry, the write deadline, coalesced state saves) on core's scheduler. A
 * bad configuration or a port in use keeps the component active but stopped, with the reason in {@code broker:stats}.
 */
// immediate: devices connect to it from the start, whether or not EventBus binds it
@Component(name = BrokerComponent.PID, service = {MqttBroker.class, InProcessBroker.class}, immediate = true)
@Designate(ocd = BrokerConfig.class)
public final class BrokerComponent implements MqttBroker, InProcessBroker {
    public static final String PID = "dev.kedge.edge.broker";
    /** The publisher the broker's own messages carry (in the state file only: MQTT does not tell subscribers). */
    static final String PUBLISHER = "kedge-in-process";
    static final String STATE_FILE = "broker-state.bin";
    private static final int START_ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MS = 500;
    private static final Duration SAVE_DELAY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);
    private static final ThreadFactory READERS = DaemonThreads.factory("mqtt-conn");
    /** The kernel's backlog, and the accepted connections that may wait for their reader thread. */
    private static final int BACKLOG = 50;

    private final BrokerCounters counters = new BrokerCounters();
    private final InProcessTaps taps = new InProcessTaps();
    private final SharedScheduler scheduler;
    private final BrokerSettings settings;
    private final Broker broker;
    private final WriteWatchdog watchdog;
    private final PasswordAuthenticator auth;
    private final Acceptor acceptor;
    private final List<Listening> listeners = new ArrayList<>();
    private final String listenerUrls;
    private final String error;
    // lock order: writeLock, then the broker's lock, then saveLock (which changed() takes under the broker's)
    private final Object writeLock = new Object();
    private final Object saveLock = new Object();
    private ScheduledFuture<?> expiry;
    private ScheduledFuture<?> pendingSave; // guarded by saveLock
    private boolean saving = true; // guarded by saveLock; false once stopped
    private volatile String saveError = ""; // the last save's failure, shown by broker:stats

    @Activate
    public BrokerComponent(BrokerConfig config, @Reference SharedScheduler scheduler, @Reference Acceptor acceptor) {
        this.scheduler = scheduler;
        this.acceptor = acceptor;
        BrokerSettings s = null;
        String problem = "";
        try {
            s = BrokerSettings.of(config);
        } catch (IllegalArgumentException e) {
            problem = "invalid configuration " + PID + ": " + e.getMessage();
        }
        this.settings = s;
        this.auth = s != null && s.authenticated() ? new PasswordAuthenticator(s.username(), s.password()) : null;
        this.broker = s == null ? null : new Broker(s, counters, taps, this::changed);
        this.watchdog = s == null ? null : new WriteWatchdog(scheduler, broker, counters, s.writeTimeout());
        if (s != null && s.persistence()) {
            load(s.dataPath().resolve(STATE_FILE));
        }
        // a port just released by a previous instance can fail once: a few attempts before giving up
        for (int attempt = 1; s != null && listeners.isEmpty() && attempt <= START_ATTEMPTS; attempt++) {
            try {
                start(s);
                problem = "";
            } catch (IOException | RuntimeException e) {
                problem = "cannot start on " + s.listeners() + ": " + e;
                if (attempt < START_ATTEMPTS) {
                    LOG.warn("MQTT broker start {} of {} failed ({}); retrying", attempt, START_ATTEMPTS, e.toString());
                    if (!pause()) {
                        break;
                    }
                }
            }
        }
        if (listeners.isEmpty()) {
            LOG.error("MQTT broker not running: {}", problem);
            if (broker != null) {
                broker.stop();
            }
        } else {
            Duration sweep = Duration.ofSeconds(Math.min(60, s.sessionExpirySeconds()));
            expiry = scheduler.scheduleWithFixedDelay("MQTT session expiry", broker::expire, sweep, sweep);
        }
        this.listenerUrls = s == null ? "" : s.listeners();
        this.error = problem;
    }

    private void start(BrokerSettings s) throws IOException {
        InetAddress host = InetAddress.getByName(s.host());
        try {
            if (s.port() > 0) {
                listeners.add(acceptor.listen("mqtt-accept", new InetSocketAddress(host, s.port()), BACKLOG,
                        ch -> accepted(ch.socket())));
            }
            if (s.tlsPort() > 0) {
                SSLContext tls = PemTls.serverContext(s.tlsCertFile(), s.tlsKeyFile());
                listeners.add(acceptor.listen("mqtt-accept-tls", new InetSocketAddress(host, s.tlsPort()), BACKLOG,
                        ch -> acceptedTls(tls, ch)));
            }
        } catch (IOException | RuntimeException e) {
            listeners.forEach(Listening::close); // a retry on the same port would otherwise find it taken
            listeners.clear();
            throw e;
        }
        LOG.info("MQTT broker listening on {} ({}, {})", s.listeners(),
                s.persistence() ? "persistent in " + s.dataPath() : "in memory",
                s.authenticated() ? "username/password" : "anonymous");
    }

    /**
     * TLS layered over the accepted socket, set up as an SSLServerSocket's accepted sockets were: server mode (the
     * context's server defaults), TLS 1.2/1.3 only, no client certificate. The handshake runs on the reader's first
     * read, under its CONNECT timeout, not here.
     */
    private void acceptedTls(SSLContext tls, SocketChannel channel) {
        Socket plain = channel.socket();
        SSLSocket s;
        try {
            s = (SSLSocket) tls.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
            s.setUseClientMode(false); // before anything else: it swaps the client defaults for the server's
            s.setEnabledProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
        } catch (IOException | RuntimeException e) {
            LOG.warn("MQTT TLS connection from {} dropped: {}", plain.getRemoteSocketAddress(), e.toString());
            closeQuietly(plain);
            return;
        }
        accepted(s);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing: {}", e.toString());
        }
    }

    /** On the listener's accept lane: a reader thread for the new connection, unless the broker is full or stopped. */
    private void accepted(Socket socket) {
        Connection c = new Connection(socket, broker, settings, counters, auth, watchdog);
        try {
            socket.setTcpNoDelay(true);
            if (!broker.opened(c)) { // stopping, or maxConnections open (counted and logged)
                socket.close();
                return;
            }
            READERS.newThread(c).start();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            LOG.warn("MQTT connection from {} dropped: {}", c.remote(), e.toString());
            c.close();
            broker.closed(c, true);
        }
    }

    private void load(Path file) {
        try {
            StateFile.State state = StateFile.read(file);
            broker.restore(state);
            LOG.info("MQTT broker state loaded from {}: {} retained messages, {} persistent sessions", file,
                    state.retained().size(), state.sessions().size());
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".damaged");
            LOG.error("MQTT broker state {} unreadable ({}): starting empty, the file moved to {}", file,
                    e.toString(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.error("cannot move {} aside: {}", file, moveFailed.toString());
            }
        }
    }

    /** Under the broker's lock: a save within a second, one for all the changes meanwhile. */
    private void changed() {
        if (settings == null || !settings.persistence()) {
            return;
        }
        synchronized (saveLock) {
            if (saving && pendingSave == null) {
                pendingSave = scheduler.schedule("MQTT broker state save", this::save, SAVE_DELAY);
            }
        }
    }

    /** Snapshot and write under one lock: a later snapshot is never overwritten by an earlier one. */
    private void save() {
        synchronized (writeLock) {
            synchronized (saveLock) {
                pendingSave = null;
            }
            Path file = settings.dataPath().resolve(STATE_FILE);
            try {
                StateFile.write(file, broker.snapshot());
                if (!saveError.isEmpty()) {
                    LOG.info("MQTT broker state saved to {} again", file);
                }
                saveError = "";
            } catch (IOException | RuntimeException e) {
                if (saveError.isEmpty()) { // once per failing spell, not every second
                    LOG.error("cannot save the MQTT broker state to {}: {}", file, e.toString());
                }
                saveError = "cannot save the state to " + file + ": " + e;
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(RETRY_PAUSE_MS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the listeners, closes every connection and saves the state (public: EventBus's tests use it). */
    @Deactivate
    public void deactivate() {
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        listeners.forEach(Listening::close);
        if (broker != null) {
            broker.stop().forEach(Connection::close);
        }
        if (settings != null && settings.persistence() && broker != null) {
            synchronized (saveLock) {
                saving = false;
                if (pendingSave != null) {
                    pendingSave.cancel(false);
                }
            }
            save();
        }
        if (!listeners.isEmpty()) {
            LOG.info("MQTT broker on {} stopped", listenerUrls);
        }
    }

    /** Whether a write-deadline check is scheduled (tests: none on an idle broker). */
    boolean writeCheckArmed() {
        return watchdog.armed();
    }

    /** Subscriptions the broker matches publishes against (tests: ended sessions leave none behind). */
    int subscriptionCount() {
        return broker.subscriptionCount();
    }

    /** QoS 1 and 2 publishes clients re-sent with DUP=1. */
    long duplicatesReceived() {
        return counters.duplicates.get();
    }

    @Override
    public List<BrokerClient> clients() {
        if (broker == null) {
            return List.of();
        }
        List<BrokerClient> all = new ArrayList<>(broker.clients());
        taps.names().forEach(n -> all.add(new BrokerClient(n, BrokerClient.IN_PROCESS, 0)));
        return all;
    }

    @Override
    public int port() {
        for (Listening l : listeners) {
            if (settings.port() > 0 && l.port() == settings.port()) {
                return l.port();
            }
        }
        return 0;
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS " + qos);
        }
        if (broker == null || topic.isEmpty() || topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return false;
        }
        return broker.publishInternal(new Message(topic, payload.clone(), qos, retain, PUBLISHER, false));
    }

    @Override
    public Tap tap(String name, PublishListener listener) {
        return taps.add(name, listener);
    }

    @Override
    public int retained(String filter, PublishListener listener) {
        return taps.retained().replay(filter, listener);
    }

    @Override
    public BrokerStats stats() {
        RetainedCopies retained = taps.retained();
        boolean running = !listeners.isEmpty();
        return new BrokerStats(running, listenerUrls, error.isEmpty() ? saveError : error,
                running ? broker.connected() : 0,
                counters.connects.get(), counters.publishes.get(), counters.payloadBytes.get(), retained.kept(),
                retained.notKept(), counters.malformed.get(), counters.oversize.get(), counters.dropped.get(),
                counters.refused.get(), counters.ackBacklog.get(), counters.writeTimeouts.get(),
                listeners.stream().mapToLong(Listening::dropped).sum(),
                listeners.stream().mapToLong(Listening::failures).sum());
    }
}
