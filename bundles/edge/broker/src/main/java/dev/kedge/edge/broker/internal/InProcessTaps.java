package dev.kedge.edge.broker.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.mqtt.InProcessBroker;

/**
 * The listeners of {@link InProcessBroker#tap}: they hear every client PUBLISH on the reader thread of the client
 * that sent it, one message at a time across all clients (the broker calls {@link #heard} under one lock), so in
 * arrival order. Also keeps the retained copies a tap attached later asks for.
 */
final class InProcessTaps {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessTaps.class);

    private final List<TapImpl> taps = new CopyOnWriteArrayList<>();
    private final RetainedCopies retained = new RetainedCopies();
    private final AtomicLong listenerErrors = new AtomicLong();

    private final class TapImpl implements InProcessBroker.Tap {
        final String name;
        final InProcessBroker.PublishListener listener;

        TapImpl(String name, InProcessBroker.PublishListener listener) {
            this.name = name;
            this.listener = listener;
        }

        @Override
        public void close() {
            taps.remove(this);
        }
    }

    InProcessBroker.Tap add(String name, InProcessBroker.PublishListener listener) {
        TapImpl t = new TapImpl(name, listener);
        taps.add(t);
        return t;
    }

    List<String> names() {
        return taps.stream().map(t -> t.name).toList();
    }

    /** The retained messages a tap attached later missed (see {@link RetainedCopies}). */
    RetainedCopies retained() {
        return retained;
    }

    /** A network client's message accepted by the broker. */
    void heard(Message m) {
        if (m.retain()) { // kept before the taps hear it: a tap attaching meanwhile gets it once or twice
            retained.retained(m.publisher(), m.topic(), m.payload());
        }
        for (TapImpl t : taps) {
            try {
                t.listener.published(m.publisher(), m.topic(), m.payload());
            } catch (RuntimeException e) {
                long n = listenerErrors.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) { // a failing listener does not flood the log
                    LOG.error("in-process MQTT listener {} failed on {} ({} failures so far)", t.name, m.topic(), n, e);
                }
            }
        }
    }
}
