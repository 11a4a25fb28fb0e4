package dev.kedge.edge.broker.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.mqtt.InProcessBroker;
import io.moquette.broker.RoutingResults;
import io.moquette.broker.Server;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptPublishMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;

/**
 * The broker's in-process side ({@link InProcessBroker}): publishes go through Moquette's internal publish, and the
 * taps hear every client PUBLISH from Moquette's interceptor thread, so a module in this JVM needs no MQTT client.
 */
final class InProcessTaps extends AbstractInterceptHandler {
    /** Moquette names the publisher in its logs only. */
    static final String PUBLISHER = "kedge-in-process";
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

    /** False if Moquette routed it to no session although some subscribe (their queues full), or refused it. */
    static boolean publish(Server server, String topic, byte[] payload, int qos, boolean retain) {
        MqttPublishMessage m = MqttMessageBuilders.publish().topicName(topic).qos(MqttQoS.valueOf(qos))
                .retained(retain).messageId(qos == 0 ? 0 : 1).payload(Unpooled.wrappedBuffer(payload)).build();
        try {
            RoutingResults r = server.internalPublish(m, PUBLISHER); // releases the payload
            return !r.isAllFailed();
        } catch (IllegalStateException stopped) {
            return false;
        }
    }

    @Override
    public String getID() {
        return "kedge-in-process-taps";
    }

    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptPublishMessage.class};
    }

    @Override
    public void onPublish(InterceptPublishMessage msg) {
        ByteBuf payload = msg.getPayload();
        byte[] bytes;
        try { // Moquette hands every handler its own retained duplicate: the handler releases it
            if (taps.isEmpty() && !msg.isRetainFlag()) {
                return;
            }
            bytes = new byte[payload.readableBytes()];
            payload.getBytes(payload.readerIndex(), bytes);
        } finally {
            payload.release();
        }
        if (msg.isRetainFlag()) { // kept before the taps hear it: a tap attaching meanwhile gets it once or twice
            retained.retained(msg.getClientID(), msg.getTopicName(), bytes);
        }
        for (TapImpl t : taps) {
            try {
                t.listener.published(msg.getClientID(), msg.getTopicName(), bytes);
            } catch (RuntimeException e) {
                long n = listenerErrors.incrementAndGet();
                if (n <= 10 || n % 1000 == 0) { // a failing listener does not flood the log
                    LOG.error("in-process MQTT listener {} failed on {} ({} failures so far)", t.name,
                            msg.getTopicName(), n, e);
                }
            }
        }
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        // BrokerCounters logs it
    }
}
