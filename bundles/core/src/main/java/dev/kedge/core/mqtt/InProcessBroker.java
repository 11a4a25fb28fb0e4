package dev.kedge.core.mqtt;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running MQTT broker in this JVM (the edge's embedded broker). EventBus uses it instead of a network client when
 * it is the broker EventBus's internal URL names, as KubeEdge's eventbus works inside its own internal broker.
 */
@ProviderType
public interface InProcessBroker {

    /** The plain TCP port the broker listens on, by which a module recognises it as its configured broker; 0 if none. */
    int port();

    /**
     * Publishes as the broker itself to every client whose subscription matches, as if a client had published.
     *
     * @param qos 0, 1 or 2
     * @return false if the broker did not take it (stopped, or every matching session's queue full)
     */
    boolean publish(String topic, byte[] payload, int qos, boolean retain);

    /**
     * Hands {@code listener} every PUBLISH the broker accepts from its network clients, in arrival order, on one of
     * the broker's threads, until the returned tap is closed. It appears among the broker's clients as {@code name}.
     */
    Tap tap(String name, PublishListener listener);

    /**
     * Hands {@code listener} the messages the broker retains on topics {@code filter} matches (MQTT wildcards), on the
     * caller's thread, as a client subscribing to {@code filter} receives them: what a tap attached later missed.
     * Only client publishes count, as {@link #tap} hears them; the client id given is the retaining publisher's.
     *
     * @return how many were handed over
     */
    int retained(String filter, PublishListener listener);

    /** Receives the broker's publishes; must return quickly (it holds the broker's notification thread). */
    @ConsumerType
    interface PublishListener {
        void published(String clientId, String topic, byte[] payload);
    }

    /** A registered listener; closing it more than once is harmless. */
    interface Tap extends AutoCloseable {
        @Override
        void close();
    }
}
