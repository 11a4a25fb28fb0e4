package dev.kedge.edge.broker;

/**
 * The broker's state and counters since it started.
 *
 * @param running        whether the listener is up
 * @param listeners      what it listens on, e.g. {@code tcp://127.0.0.1:1884, ssl://127.0.0.1:8883}
 * @param error          why it is not running (configuration or bind error); empty when running
 * @param connections    clients connected now
 * @param connects       successful CONNECTs since start
 * @param publishesIn    PUBLISH packets accepted from clients
 * @param payloadBytesIn payload bytes of those publishes
 */
public record BrokerStats(boolean running, String listeners, String error, int connections, long connects,
        long publishesIn, long payloadBytesIn) {
}
