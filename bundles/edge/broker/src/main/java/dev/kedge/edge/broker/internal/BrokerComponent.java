package dev.kedge.edge.broker.internal;

import java.io.IOException;
import java.util.Collection;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.edge.broker.BrokerClient;
import dev.kedge.edge.broker.BrokerStats;
import dev.kedge.edge.broker.MqttBroker;
import io.moquette.broker.ClientDescriptor;
import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;

/**
 * The embedded MQTT broker: Moquette, in memory unless persistence is on, on loopback port 1884 by default.
 * A bad configuration or a port in use keeps the component active but stopped, with the reason in
 * {@code broker:stats}. Moquette's threads: one acceptor, Netty workers (at most twice the cores, started per
 * connection), one session loop per core, one interceptor and one scheduler thread.
 */
@Component(name = BrokerComponent.PID, service = {MqttBroker.class, InProcessBroker.class})
@Designate(ocd = BrokerConfig.class)
public final class BrokerComponent implements MqttBroker, InProcessBroker {
    public static final String PID = "dev.kedge.edge.broker";
    private static final long BIND_WAIT_MS = 10_000;
    private static final int START_ATTEMPTS = 3;
    private static final long RETRY_PAUSE_MS = 500;
    private static final Logger LOG = LoggerFactory.getLogger(BrokerComponent.class);

    private final BrokerCounters counters = new BrokerCounters();
    private final DupFlagClearer dupFlagClearer = new DupFlagClearer(counters.duplicatesCleared);
    private final InProcessTaps taps = new InProcessTaps();
    private final String listeners;
    private final String error;
    private final Server server;

    @Activate
    public BrokerComponent(BrokerConfig config) {
        BrokerSettings s = null;
        String problem = "";
        try {
            s = BrokerSettings.of(config);
        } catch (IllegalArgumentException e) {
            problem = "invalid configuration " + PID + ": " + e.getMessage();
        }
        Server started = null;
        // a port just released by a previous instance, or Moquette's start racing its previous shutdown, can fail
        // once: a few attempts before giving up
        for (int attempt = 1; s != null && started == null && attempt <= START_ATTEMPTS; attempt++) {
            try {
                started = start(s);
                problem = "";
            } catch (IOException | RuntimeException | LinkageError e) {
                problem = "cannot start on " + s.listeners() + ": " + e;
                if (attempt < START_ATTEMPTS) {
                    LOG.warn("MQTT broker start {} of {} failed ({}); retrying", attempt, START_ATTEMPTS, e.toString(), e);
                    if (!pause()) {
                        break;
                    }
                }
            }
        }
        if (started == null) {
            LOG.error("MQTT broker not running: {}", problem);
        }
        this.listeners = s == null ? "" : s.listeners();
        this.error = problem;
        this.server = started;
    }

    private Server start(BrokerSettings s) throws IOException {
        long t0 = System.nanoTime();
        Server srv = new Server();
        try {
            srv.startServer(new MemoryConfig(s.moquetteProperties()), List.of(counters, taps),
                    s.tlsPort() > 0 ? new PemSslContextCreator(s.tlsCertFile(), s.tlsKeyFile()) : null,
                    s.authenticated() ? new PasswordAuthenticator(s.username(), s.password()) : null, null);
            if (s.port() > 0 && !bound(srv)) {
                throw new IOException("listener did not bind within " + BIND_WAIT_MS + " ms (port in use?)");
            }
            int listenerCount = (s.port() > 0 ? 1 : 0) + (s.tlsPort() > 0 ? 1 : 0);
            int hooked = dupFlagClearer.install(srv);
            if (hooked < listenerCount) {
                LOG.error("DUP-flag workaround on {} of {} listeners: a QoS 1 PUBLISH re-sent with DUP=1 can stop one "
                        + "of Moquette's session loops", hooked, listenerCount);
            }
            disconnectEarlyClients(srv);
        } catch (IOException | RuntimeException | LinkageError e) {
            // whatever failed, the listener must go: a retry on the same port would otherwise find it taken
            stopQuietly(srv);
            throw e;
        }
        LOG.info("MQTT broker listening on {} ({}, {}) in {} ms", s.listeners(),
                s.persistence() ? "persistent in " + s.dataPath() : "in memory",
                s.authenticated() ? "username/password" : "anonymous", (System.nanoTime() - t0) / 1_000_000);
        return srv;
    }

    /** A mapper retrying its connection may have come in before the hook: make it reconnect through the hook. */
    private static void disconnectEarlyClients(Server srv) {
        Collection<ClientDescriptor> early;
        try {
            early = srv.listConnectedClients();
        } catch (RuntimeException e) {
            // Moquette builds the list from live sessions, which a connecting client can change under it
            LOG.warn("cannot list the MQTT clients connected before the DUP-flag workaround: {}", e.toString(), e);
            return;
        }
        for (ClientDescriptor c : early) {
            LOG.info("MQTT client {} connected before the DUP-flag workaround was in place: disconnecting it",
                    c.getClientID());
            srv.disconnectClient(c.getClientID());
        }
    }

    /** Moquette's stop, without the two quiet seconds it gives Netty's loops ({@link MoquetteInternals}). */
    private static void stop(Server srv) {
        MoquetteInternals.shutdownLoopsNow(srv);
        srv.stopServer();
    }

    private static void stopQuietly(Server srv) {
        try {
            stop(srv);
        } catch (RuntimeException e) {
            LOG.debug("stopping a half-started broker: {}", e.toString());
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

    /** Moquette logs a failed bind and goes on; the port it reports is set once the bind completed. */
    private static boolean bound(Server srv) {
        long deadline = System.nanoTime() + BIND_WAIT_MS * 1_000_000L;
        while (port(srv) <= 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * Moquette keeps its ports in a plain HashMap that its Netty thread writes when the bind completes, and its
     * getPort() writes too: read while it binds, it can throw ConcurrentModificationException (seen in tests).
     */
    private static int port(Server srv) {
        try {
            return srv.getPort();
        } catch (ConcurrentModificationException bindingNow) {
            return 0;
        }
    }

    /** Stops the listener and drops every session (public: EventBus's tests run this broker in their JVM). */
    @Deactivate
    public void deactivate() {
        if (server != null) {
            stop(server);
            LOG.info("MQTT broker on {} stopped", listeners);
        }
    }

    /** QoS 1 publishes re-sent with DUP=1 that were handed to Moquette as new (see {@link DupFlagClearer}). */
    long duplicatesCleared() {
        return counters.duplicatesCleared.get();
    }

    @Override
    public List<BrokerClient> clients() {
        if (server == null) {
            return List.of();
        }
        List<BrokerClient> all = new ArrayList<>();
        for (ClientDescriptor c : server.listConnectedClients()) {
            all.add(new BrokerClient(c.getClientID(), c.getAddress(), c.getPort()));
        }
        taps.names().forEach(n -> all.add(new BrokerClient(n, BrokerClient.IN_PROCESS, 0)));
        return all;
    }

    @Override
    public int port() {
        return server == null ? 0 : port(server);
    }

    @Override
    public boolean publish(String topic, byte[] payload, int qos, boolean retain) {
        return server != null && InProcessTaps.publish(server, topic, payload, qos, retain);
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
        return new BrokerStats(server != null, listeners, error, server == null ? 0 : server.listConnectedClients().size(),
                counters.connects.get(), counters.publishes.get(), counters.payloadBytes.get(), retained.kept(),
                retained.notKept());
    }
}
