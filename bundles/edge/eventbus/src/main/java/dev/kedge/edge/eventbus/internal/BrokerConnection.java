package dev.kedge.edge.eventbus.internal;

import dev.kedge.edge.eventbus.BrokerLinkStatus;

/**
 * One broker EventBus publishes to and hears from: an MQTT client connection ({@link BrokerLink}) or the embedded
 * broker used in process ({@link InProcessLink}).
 */
interface BrokerConnection {

    /** Receives every message of the subscriptions. */
    interface Inbound {
        void arrived(String broker, String topic, byte[] payload);
    }

    /** {@code internal} or {@code external}. */
    String name();

    void start();

    /** Hands one publish on, or holds it while not connected; false (counted) when it was dropped. */
    boolean publish(String topic, byte[] payload);

    /** A filter added to the subscriptions. */
    void subscribe(String filter);

    void unsubscribe(String filter);

    BrokerLinkStatus status();

    void close();
}
