package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Inbox;
import dev.kedge.core.MessageBus;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;
import dev.kedge.edge.hub.EdgeHubStatus.State;

/**
 * The link's life on one thread: wait to be joined → bootstrap certificates if needed → connect → write until the
 * connection ends → tell the edge modules → back off (exponential, jittered) → again. Reconfiguration and stop
 * interrupt any of these steps promptly: they end the session and wake the waits.
 */
final class CloudLink implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CloudLink.class);

    /** Called after the token has done its job, so that it can be removed from the configuration. */
    interface TokenSpent {
        void tokenSpent();
    }

    private final MessageBus bus;
    private final LinkEvents events;
    private final Inbox inbox;
    private final HubCounters counters;
    private final Upstream upstream;
    private final DownstreamRouter router;
    private final SharedScheduler watchdog;
    private final ExecutorService io;
    private final TokenSpent tokenSpent;
    private final Object signal = new Object();
    private boolean signalled; // guarded by signal

    private volatile HubSettings settings;
    private volatile boolean running = true;
    private volatile State state = State.NOT_JOINED;
    private volatile String lastError = "";
    private volatile Instant connectedSince;
    private volatile LinkSession session;
    private volatile Thread thread;

    private SSLContext tls; // link thread only, rebuilt when the certificate files change
    private String tlsStamp;
    private long established;

    CloudLink(HubSettings settings, MessageBus bus, LinkEvents events, WaitingGroupMessages waiting, Inbox inbox,
            HubCounters counters, Upstream upstream, SharedScheduler watchdog, ExecutorService io,
            TokenSpent tokenSpent) {
        this.settings = settings;
        this.bus = bus;
        this.events = events;
        this.inbox = inbox;
        this.counters = counters;
        this.upstream = upstream;
        this.router = new DownstreamRouter(bus, counters, waiting);
        this.watchdog = watchdog;
        this.io = io;
        this.tokenSpent = tokenSpent;
    }

    void start() {
        Thread t = DaemonThreads.factory("edgehub-link").newThread(this);
        thread = t;
        t.start();
    }

    /** Applies new settings: the current connection (if any) is closed and the link starts over with them. */
    void reconfigure(HubSettings newSettings) {
        settings = newSettings;
        interruptStep("reconfigured");
    }

    /** Stops the link thread, closing the connection; waits at most {@code wait}. */
    void stop(Duration wait) throws InterruptedException {
        running = false;
        interruptStep("EdgeHub stopping");
        Thread t = thread;
        if (t != null) {
            t.join(wait.toMillis());
            if (t.isAlive()) {
                t.interrupt();
                t.join(wait.toMillis());
            }
        }
    }

    boolean connected() {
        return state == State.CONNECTED;
    }

    State state() {
        return state;
    }

    String lastError() {
        return lastError;
    }

    Instant connectedSince() {
        return connectedSince;
    }

    HubSettings settings() {
        return settings;
    }

    @Override
    public void run() {
        HubSettings current = null;
        Backoff backoff = null;
        while (running) {
            HubSettings s = settings;
            if (s != current) {
                current = s;
                backoff = new Backoff(s.reconnectMin(), s.reconnectMax());
            }
            if (!s.joined()) {
                state = State.NOT_JOINED;
                LOG.info("EdgeHub not joined to a cloud yet: run kedge:join --cloud <host:port> --token <token>");
                pause(null);
                continue;
            }
            boolean wasConnected = false;
            try {
                wasConnected = connectOnce(s, backoff);
            } catch (LinkFailure e) {
                fail(e.getMessage());
            } catch (InterruptedException e) {
                if (running) {
                    LOG.debug("link step interrupted for a reconfiguration");
                }
            }
            if (running && settings == s) {
                state = State.DISCONNECTED;
                // a link that was up retries at once, spread over [0, min] so a fleet cut off together does not
                // reconnect in lock step; failing attempts back off exponentially
                Duration delay = wasConnected
                        ? Duration.ofMillis(ThreadLocalRandom.current().nextLong(s.reconnectMin().toMillis() + 1))
                        : backoff.next();
                LOG.info("reconnecting to CloudHub {} in {} ms", s.server(), delay.toMillis());
                pause(delay);
            }
        }
        state = State.DISCONNECTED;
    }

    /** One connection, from bootstrap to loss; true if the WebSocket was open at some point. */
    private boolean connectOnce(HubSettings s, Backoff backoff) throws LinkFailure, InterruptedException {
        CertFiles files = new CertFiles(s.certDir());
        ensureCertificates(s, files);
        state = State.CONNECTING;
        long dialing = System.nanoTime();
        LinkSession ls = LinkSession.open(tls(files), s, router, upstream, counters, io);
        long dialMs = (System.nanoTime() - dialing) / 1_000_000;
        if (!running || settings != s) {
            ls.close("reconfigured while connecting", watchdog);
            ls.release();
            return false;
        }
        session = ls;
        // the cloud accepted us: a later loss (cut by the cloud, a dead link) retries at the short delay; only
        // failing attempts back off further, which is what keeps a fleet from storming a struggling cloud
        backoff.reset();
        String reason;
        try {
            connectedSince = Instant.now();
            state = State.CONNECTED;
            if (established++ > 0) {
                counters.reconnects.increment();
            }
            // the dial time (TLS and WebSocket handshakes) is most of a start's wait for the cloud
            LOG.info("connected to CloudHub {} as node {} in {} ms", s.webSocketUri(), s.nodeName(), dialMs);
            events.publish(true);
            reason = ls.pump(inbox, new RateLimiter(s.qps(), s.burst()), watchdog);
        } catch (InterruptedException e) {
            reason = "EdgeHub interrupted"; // still announce the loss below: modules heard "connected"
        } finally {
            ls.release();
            session = null;
            connectedSince = null;
        }
        if (running && settings == s) {
            fail("connection to CloudHub lost: " + reason); // before the state: status shows why at once
        } else {
            LOG.info("connection to CloudHub closed: {}", reason);
        }
        state = State.DISCONNECTED;
        upstream.failQueuedSyncRequests(inbox);
        events.publish(false);
        return true;
    }

    /**
     * Bootstraps when the files are missing, or when the token pins another CA than the saved one (the node was
     * re-joined to another cloud); otherwise the token, if any, is no longer needed.
     */
    private void ensureCertificates(HubSettings s, CertFiles files) throws LinkFailure, InterruptedException {
        boolean complete = files.complete();
        boolean otherCloud = complete && !s.token().isEmpty() && !tokenPinsSavedCa(s.token(), files);
        if (complete && !otherCloud) {
            if (!s.token().isEmpty()) {
                tokenSpent.tokenSpent();
            }
            return;
        }
        if (s.token().isEmpty()) {
            throw new LinkFailure("no certificates in " + files.dir() + " and no join token to get them with:"
                    + " run kedge:join --cloud " + s.server() + " --token <token from keadm gettoken>");
        }
        state = State.BOOTSTRAPPING;
        LOG.info("{} certificates for node {} from {}", otherCloud ? "replacing the" : "requesting", s.nodeName(),
                s.httpServer());
        new CertBootstrap(s, files).run();
        tokenSpent.tokenSpent();
    }

    private static boolean tokenPinsSavedCa(String token, CertFiles files) {
        try {
            return JoinToken.parse(token).caHash().equals(files.caHash());
        } catch (TlsException | IOException e) {
            LOG.warn("ignoring the configured token, the saved certificates stay in use: {}", e.getMessage());
            return true;
        }
    }

    private SSLContext tls(CertFiles files) throws LinkFailure {
        try {
            String stamp = files.stamp();
            if (tls == null || !stamp.equals(tlsStamp)) {
                tls = files.clientContext(); // its TLS session cache makes a reconnect a resumption
                tlsStamp = stamp;
            }
            return tls;
        } catch (IOException | TlsException e) {
            throw new LinkFailure("cannot load the node certificates from " + files.dir() + ": " + e.getMessage()
                    + " (delete the directory and re-join to get new ones)", e);
        }
    }

    private void fail(String error) {
        lastError = error;
        LOG.warn("{}", error);
    }

    /** Waits {@code d} (null = until signalled) or until reconfigured/stopped. */
    private void pause(Duration d) {
        synchronized (signal) {
            long end = d == null ? Long.MAX_VALUE : System.currentTimeMillis() + d.toMillis();
            try {
                while (!signalled && running) {
                    long left = end - System.currentTimeMillis();
                    if (left <= 0) {
                        break;
                    }
                    signal.wait(d == null ? 0 : left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            signalled = false;
        }
        Thread.interrupted(); // an interrupt meant for a finished step must not hit the next one
    }

    private void interruptStep(String why) {
        synchronized (signal) {
            signalled = true;
            signal.notifyAll();
        }
        LinkSession ls = session;
        if (ls != null) {
            ls.close(why, watchdog);
        }
        inbox.wake();
        Thread t = thread;
        if (t != null && state != State.CONNECTED) {
            t.interrupt(); // a handshake or bootstrap request in progress: give up on it now
        }
    }
}
