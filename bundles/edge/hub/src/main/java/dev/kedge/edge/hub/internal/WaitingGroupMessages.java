package dev.kedge.edge.hub.internal;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;

/**
 * Cloud messages for a link group (meta, twin, bus) none of whose modules is bound yet. EdgeHub starts before the
 * other modules so that its TLS handshake overlaps their start, and the cloud sends at once on connect (device
 * memberships and twins): such a message waits here, in arrival order, for the first module of its group, at most
 * {@link #TTL} and {@link #CAPACITY} messages; past that it is counted unroutable and logged, as a message for a
 * group that is not installed always was. Later messages of a group wait behind its earlier ones: a twin update
 * never overtakes an older one.
 */
final class WaitingGroupMessages {
    private static final Logger LOG = LoggerFactory.getLogger(WaitingGroupMessages.class);
    static final int CAPACITY = 256;
    static final Duration TTL = Duration.ofSeconds(30);

    private record Waiting(String group, Message message, long sinceNanos) {
    }

    private final MessageBus bus;
    private final HubCounters counters;
    private final LongSupplier nanos;
    /** Group → a module of it whose service EdgeHub has seen, or null ({@link LinkEvents#moduleOf}). */
    private final UnaryOperator<String> moduleOf;
    private final Deque<Waiting> waiting = new ArrayDeque<>(); // guarded by this

    WaitingGroupMessages(MessageBus bus, HubCounters counters, UnaryOperator<String> moduleOf, LongSupplier nanos) {
        this.bus = bus;
        this.counters = counters;
        this.moduleOf = moduleOf;
        this.nanos = nanos;
    }

    /** Sends to the group after its waiting messages, or keeps it; null when sent or kept, else why neither. */
    synchronized String deliver(String group, Message m) {
        expire();
        if (flush(group) && bus.sendToGroup(group, m) > 0) {
            return null;
        }
        String member = moduleOf.apply(group);
        if (member != null) {
            // its service is up but the bus has not bound it yet: its mailbox keeps the message until it has
            bus.send(member, m);
            return null;
        }
        if (waiting.size() >= CAPACITY) {
            return "no module in group '" + group + "' is bound, and " + CAPACITY + " messages wait already";
        }
        if (waiting.stream().noneMatch(w -> w.group().equals(group))) {
            LOG.info("cloud messages for group {} wait for its first module (at most {} s)", group, TTL.toSeconds());
        }
        waiting.add(new Waiting(group, m, nanos.getAsLong()));
        return null;
    }

    /** A module of {@code group} appeared: it gets the group's waiting messages by name, in their order. */
    synchronized void memberBound(String name, String group) {
        expire();
        int handed = 0;
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
            Waiting w = it.next();
            if (w.group().equals(group)) {
                it.remove();
                try {
                    bus.send(name, w.message());
                    handed++;
                } catch (BusException e) {
                    DownstreamRouter.unroutable(counters, w.message(), e.getMessage());
                }
            }
        }
        if (handed > 0) {
            LOG.info("{} cloud message(s) for group {} waited for module {} and went to it", handed, group, name);
        }
    }

    synchronized int size() {
        expire();
        return waiting.size();
    }

    /** Sends the group's waiting messages while the group has members; false if some still wait. */
    private boolean flush(String group) {
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext();) {
            Waiting w = it.next();
            if (w.group().equals(group)) {
                if (bus.sendToGroup(group, w.message()) == 0) {
                    return false;
                }
                it.remove();
            }
        }
        return true;
    }

    private void expire() {
        long now = nanos.getAsLong();
        while (!waiting.isEmpty() && now - waiting.peekFirst().sinceNanos() > TTL.toNanos()) {
            Waiting w = waiting.pollFirst();
            DownstreamRouter.unroutable(counters, w.message(),
                    "no module in group '" + w.group() + "' came within " + TTL.toSeconds() + " s");
        }
    }
}
