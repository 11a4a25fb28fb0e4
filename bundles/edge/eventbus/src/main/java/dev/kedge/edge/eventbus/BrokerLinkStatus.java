package dev.kedge.edge.eventbus;

/**
 * One broker EventBus is a client of.
 *
 * @param name      {@code internal} or {@code external}
 * @param url       the broker, e.g. {@code tcp://127.0.0.1:1884}; {@code in-process:tcp://127.0.0.1:1884} when EventBus
 *                  uses the embedded broker of its own JVM without a connection
 * @param clientId  EventBus's MQTT client id there (in process: the name it has among the broker's clients)
 * @param connected whether the connection is up and subscribed
 * @param connects  successful connections since start (the first included)
 * @param lastError the latest connection or subscription failure; empty once connected and subscribed again
 * @param pending   publishes handed to the client and not yet written
 */
public record BrokerLinkStatus(String name, String url, String clientId, boolean connected, long connects,
        String lastError, int pending) {
}
