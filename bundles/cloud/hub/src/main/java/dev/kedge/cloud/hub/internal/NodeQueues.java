package dev.kedge.cloud.hub.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.ResourceVersions;

/**
 * One node's downstream queues, kept across a short absence (unlike KubeEdge, which drops them at once and relies on
 * ObjectSync to catch up) and dropped when the node stays away (it may be served by another replica): an ack queue with one entry per object (newer resourceVersion replaces, delete
 * wins), sent one at a time and written again until acked; and a bounded fire-and-forget queue.
 * All methods are synchronized: callers are the bus thread (offer), Jetty threads (ack) and the sender (poll).
 */
final class NodeQueues {
    private final int maxObjects;
    private final LinkedHashMap<String, Message> ackQueue = new LinkedHashMap<>();
    /** Answers to edge queries: sent before queued objects, so a query never waits behind a bulk sync. */
    private final LinkedHashMap<String, Message> answers = new LinkedHashMap<>();
    private final ArrayDeque<Message> noAckQueue = new ArrayDeque<>();
    /** resourceVersion the edge acked, per object: a stale or duplicate update is not sent again. */
    private final Map<String, String> ackedVersions = new HashMap<>();
    private InFlight inFlight;
    long sent;
    long resends;
    long rejected;
    long skippedStale;

    NodeQueues(int maxObjects) {
        this.maxObjects = maxObjects;
    }

    /** A written ack-queue message waiting for its ack. */
    static final class InFlight {
        final String key;
        final Message message;
        int writes;
        long deadlineNanos;

        InFlight(String key, Message message) {
            this.key = key;
            this.message = message;
        }
    }

    synchronized void offer(Message m, boolean needsAck) {
        if (!needsAck) {
            if (noAckQueue.size() >= maxObjects) {
                rejected++;
                throw new BusException(BusException.Reason.MAILBOX_FULL, "no-ack queue full (" + maxObjects + ")");
            }
            noAckQueue.add(m);
            return;
        }
        String key = objectKey(m);
        if (m.isResponse()) {
            if (answers.size() + ackQueue.size() >= maxObjects) {
                rejected++;
                throw new BusException(BusException.Reason.MAILBOX_FULL, "ack queue full (" + maxObjects + ")");
            }
            answers.put(key, m);
            return;
        }
        String rv = m.header().resourceVersion();
        boolean delete = Operations.DELETE.equals(m.operation());
        if (!delete && !rv.isEmpty() && !ResourceVersions.newerOrDifferent(rv, ackedVersions.get(key))) {
            skippedStale++;
            return;
        }
        if (!delete && !rv.isEmpty() && inFlight != null && inFlight.key.equals(key)
                && !Operations.DELETE.equals(inFlight.message.operation())
                && !ResourceVersions.newerOrDifferent(rv, inFlight.message.header().resourceVersion())) {
            // the same version is on its way (EdgeController on connect and SyncController's resend meet here)
            skippedStale++;
            return;
        }
        Message queued = ackQueue.get(key);
        if (queued != null) {
            boolean queuedDelete = Operations.DELETE.equals(queued.operation());
            // an unversioned update replaces the queued one: without versions the latest message wins
            if (delete || (!queuedDelete
                    && (rv.isEmpty() || ResourceVersions.newerOrDifferent(rv, queued.header().resourceVersion())))) {
                ackQueue.put(key, m); // keeps the object's place in the queue
            } else {
                skippedStale++;
            }
            return;
        }
        if (ackQueue.size() + answers.size() >= maxObjects) {
            rejected++;
            throw new BusException(BusException.Reason.MAILBOX_FULL, "ack queue full (" + maxObjects + " objects)");
        }
        ackQueue.put(key, m);
    }

    /**
     * The node stayed away: what is queued is dropped (KubeEdge drops the node's pool at once). Controllers send
     * again when it connects — here or to another replica — from the ObjectSyncs, so nothing stale waits here.
     */
    synchronized int dropPending() {
        int dropped = ackQueue.size() + answers.size() + noAckQueue.size() + (inFlight == null ? 0 : 1);
        ackQueue.clear();
        answers.clear();
        noAckQueue.clear();
        inFlight = null;
        return dropped;
    }

    /** The edge lost what it acked (a new database): versions it acked no longer count as delivered. */
    synchronized void forgetAcked() {
        ackedVersions.clear();
    }

    synchronized Message pollNoAck() {
        return noAckQueue.poll();
    }

    /** The message in flight, or the next one taken from the ack queue; null when there is none. */
    synchronized InFlight inFlightOrNext() {
        if (inFlight == null) {
            Iterator<Map.Entry<String, Message>> it = (answers.isEmpty() ? ackQueue : answers).entrySet().iterator();
            if (!it.hasNext()) {
                return null;
            }
            Map.Entry<String, Message> e = it.next();
            it.remove();
            inFlight = new InFlight(e.getKey(), e.getValue());
        }
        return inFlight;
    }

    /** The edge acked {@code parentId}; the acked message if it was the one in flight, else null. */
    synchronized Message ack(String parentId) {
        if (inFlight == null || !inFlight.message.id().equals(parentId)) {
            return null;
        }
        Message m = inFlight.message;
        if (Operations.DELETE.equals(m.operation())) {
            ackedVersions.remove(inFlight.key);
        } else if (!m.header().resourceVersion().isEmpty()) {
            ackedVersions.put(inFlight.key, m.header().resourceVersion());
        }
        inFlight = null;
        return m;
    }

    /** After the last allowed write went unacked: back to the end of the queue, unless a newer one is queued. */
    synchronized void requeueInFlight() {
        if (inFlight != null) {
            (inFlight.message.isResponse() ? answers : ackQueue).putIfAbsent(inFlight.key, inFlight.message);
            inFlight = null;
        }
    }

    /** A new connection writes the in-flight message afresh. */
    synchronized void resetWrites() {
        if (inFlight != null) {
            inFlight.writes = 0;
        }
    }

    synchronized int ackQueueSize() {
        return ackQueue.size() + answers.size();
    }

    synchronized int noAckQueueSize() {
        return noAckQueue.size();
    }

    synchronized int pendingAcks() {
        return inFlight == null ? 0 : 1;
    }

    /** Object UID from the content's metadata; messages without one (e.g. query answers) are keyed by id. */
    static String objectKey(Message m) {
        try {
            String uid = MessageCodec.contentTree(m).path("metadata").path("uid").asText("");
            return uid.isEmpty() ? "msg:" + m.id() : uid;
        } catch (IllegalArgumentException e) {
            return "msg:" + m.id();
        }
    }
}
