package dev.kedge.edge.broker.internal;

import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;

/** Counts connects and accepted publishes; Moquette calls it on its one interceptor thread. */
final class BrokerCounters extends AbstractInterceptHandler {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerCounters.class);

    final AtomicLong connects = new AtomicLong();
    final AtomicLong publishes = new AtomicLong();
    final AtomicLong payloadBytes = new AtomicLong();
    /** QoS 1 publishes whose DUP flag {@link DupFlagClearer} cleared. */
    final AtomicLong duplicatesCleared = new AtomicLong();

    @Override
    public String getID() {
        return "kedge-broker-counters";
    }

    @Override
    public void onConnect(InterceptConnectMessage msg) {
        connects.incrementAndGet();
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        publishes.incrementAndGet();
        // Moquette hands every handler its own retained duplicate: the handler releases it
        try {
            payloadBytes.addAndGet(msg.getPayload().readableBytes());
        } finally {
            msg.getPayload().release();
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        LOG.error("MQTT broker session loop failed", error);
    }
}
