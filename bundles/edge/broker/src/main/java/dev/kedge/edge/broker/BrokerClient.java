package dev.kedge.edge.broker;

/** One connected MQTT client: its client id and remote address. */
public record BrokerClient(String clientId, String address, int port) {
}
