package dev.kedge.edge.broker;

/**
 * One client of the broker: its client id and remote address, or {@link #IN_PROCESS} (port 0) for a module of this
 * JVM that uses the broker without a connection (EventBus on its internal broker).
 */
public record BrokerClient(String clientId, String address, int port) {
    /** The address of an in-process client. */
    public static final String IN_PROCESS = "in-process";
}
