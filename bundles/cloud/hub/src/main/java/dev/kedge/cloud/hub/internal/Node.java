package dev.kedge.cloud.hub.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Resource;

/**
 * A node: its queues and its current connection. The queues outlive a short absence (a reconnect to this replica
 * loses nothing); a node away longer than the keepalive interval has probably moved to another replica, and its
 * queues are dropped (controllers send again from the ObjectSyncs when it connects).
 * Before a queued version is written the first time, the ledger is asked whether the node acked it (or newer) already
 * — through another replica while it was away — so a stale queued version never overwrites a newer one at the edge. Sending is a "pump" run on the shared
 * scheduler, never two at once for one node, so writes stay in order without a thread per node.
 */
final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    final String name;
    final NodeQueues queues;
    private final ScheduledExecutorService scheduler;
    private final long ackTimeoutNanos;
    private final int maxWrites;
    private final AtomicBoolean pumpScheduled = new AtomicBoolean();
    private final AtomicBoolean pumpAgain = new AtomicBoolean();
    private final AckedElsewhere ackedElsewhere;
    /** When the last connection ended; 0 while connected or never connected. */
    private volatile long awaySinceNanos;
    /** The edge has a new database: its ObjectSyncs describe the old one, so they skip nothing (until restart). */
    private volatile boolean ledgerVoid;
    private volatile EdgeConnection connection;
    private volatile long lastSeenNanos;
    final AtomicLong received = new AtomicLong();

    /** Whether the node's ObjectSync already records this message's version (or a newer one). */
    interface AckedElsewhere {
        boolean test(String node, Message m);
    }

    Node(String name, int maxObjects, ScheduledExecutorService scheduler, long ackTimeoutMs, int maxWrites,
            AckedElsewhere ackedElsewhere) {
        this.name = name;
        this.ackedElsewhere = ackedElsewhere;
        this.queues = new NodeQueues(maxObjects);
        this.scheduler = scheduler;
        this.ackTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(ackTimeoutMs);
        this.maxWrites = Math.max(1, maxWrites);
    }

    EdgeConnection connection() {
        return connection;
    }

    /** Installs a new connection; returns the one it replaces (to be closed by the caller), if any. */
    synchronized EdgeConnection attach(EdgeConnection c) {
        EdgeConnection old = connection;
        connection = c;
        awaySinceNanos = 0;
        lastSeenNanos = System.nanoTime();
        queues.resetWrites();
        requestPump();
        return old;
    }

    /** Detaches {@code c} only if it is still the current connection (epoch fence). */
    synchronized boolean detach(EdgeConnection c) {
        if (connection != null && connection.epoch() == c.epoch()) {
            connection = null;
            awaySinceNanos = Math.max(1, System.nanoTime());
            return true;
        }
        return false;
    }

    /** Connected, or away for less than {@code graceNanos}: messages for it are still queued here. */
    boolean servedHere(long graceNanos) {
        long away = awaySinceNanos;
        return connection != null || (away != 0 && System.nanoTime() - away < graceNanos);
    }

    /** Away for {@code graceNanos} or longer: its queues go (it is served elsewhere, or will be caught up). */
    synchronized int dropIfAway(long graceNanos) {
        long away = awaySinceNanos;
        if (connection != null || away == 0 || System.nanoTime() - away < graceNanos) {
            return 0;
        }
        return queues.dropPending();
    }

    void touch() {
        lastSeenNanos = System.nanoTime();
    }

    long silentNanos() {
        return System.nanoTime() - lastSeenNanos;
    }

    void enqueue(Message m, boolean needsAck) {
        queues.offer(m, needsAck);
        requestPump();
    }

    void forgetAcked() {
        ledgerVoid = true;
        queues.forgetAcked();
    }

    /** The acked ack-queue message, or null when {@code parentId} was not the one in flight. */
    Message acked(String parentId) {
        Message m = queues.ack(parentId);
        if (m != null) {
            requestPump();
        }
        return m;
    }

    void requestPump() {
        pumpAgain.set(true);
        if (pumpScheduled.compareAndSet(false, true)) {
            scheduler.execute(this::runPump);
        }
    }

    private void runPump() {
        try {
            do {
                pumpAgain.set(false);
                pump();
            } while (pumpAgain.get());
        } catch (RuntimeException e) {
            LOG.error("send loop of node {} failed: {}", name, e.toString(), e);
        } finally {
            pumpScheduled.set(false);
            if (pumpAgain.get() && pumpScheduled.compareAndSet(false, true)) {
                scheduler.execute(this::runPump);
            }
        }
    }

    private void pump() {
        EdgeConnection c = connection;
        if (c == null || !c.isOpen()) {
            return;
        }
        Message m;
        while ((m = queues.pollNoAck()) != null) {
            write(c, m);
        }
        NodeQueues.InFlight f = queues.inFlightOrNext();
        while (f != null) {
            long now = System.nanoTime();
            if (f.writes > 0 && now < f.deadlineNanos) {
                return; // waiting for the ack; the timeout below brings us back
            }
            if (f.writes == 0 && !ledgerVoid && ackedElsewhere.test(name, f.message)) {
                queues.ack(f.message.id()); // acked through another replica meanwhile
                synchronized (queues) {
                    queues.skippedStale++;
                }
                f = queues.inFlightOrNext();
                continue;
            }
            if (f.writes >= maxWrites) {
                LOG.warn("node {} did not ack {} ({} {}) after {} writes: back to the end of the queue", name,
                        f.message.id(), f.message.operation(), f.message.resource(), f.writes);
                queues.requeueInFlight();
                f = queues.inFlightOrNext();
                continue;
            }
            if (f.writes > 0) {
                queues.resends++;
            }
            f.writes++;
            f.deadlineNanos = now + ackTimeoutNanos;
            write(c, f.message);
            scheduler.schedule(this::requestPump, ackTimeoutNanos, TimeUnit.NANOSECONDS);
            return;
        }
    }

    private void write(EdgeConnection c, Message m) {
        // the edge sees <ns>/<type>/<name>: CloudHub drops node/<id>/ (KubeEdge's TrimMessage)
        String frame = MessageCodec.encodeToString(m.withResource(Resource.trimNode(m.resource())));
        synchronized (queues) {
            queues.sent++;
        }
        c.write(frame, () -> {
            LOG.warn("write to node {} failed: closing its connection", name);
            c.close(1011, "write failed");
        });
    }
}
