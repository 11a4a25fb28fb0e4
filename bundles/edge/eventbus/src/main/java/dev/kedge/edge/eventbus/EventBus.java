package dev.kedge.edge.eventbus;

import org.osgi.annotation.versioning.ProviderType;

/** The edge's MQTT client side. Messages travel through the bus (module {@code eventbus}, group {@code bus}). */
@ProviderType
public interface EventBus {

    /** Mode, brokers, subscriptions and counters; cheap. */
    EventBusStatus status();

    /**
     * Publishes {@code payload} on {@code topic} as a {@code publish} message from the bus would (to every broker of
     * the mode); returns how many brokers took it.
     *
     * @throws IllegalArgumentException when {@code topic} is not a valid topic name (empty, wildcards, too long)
     */
    int publish(String topic, byte[] payload);
}
