package dev.kedge.edge.broker.internal;

import java.nio.file.Path;
import java.time.Duration;

/** The broker's validated configuration. */
record BrokerSettings(String host, int port, boolean persistence, Path dataPath, String username, String password,
        int tlsPort, Path tlsCertFile, Path tlsKeyFile, int maxMessageBytes, int sessionQueueSize,
        int sessionExpirySeconds, int maxConnections, int maxInFlight, int maxPendingAcks, int maxRetainedTopics,
        Duration writeTimeout) {

    private static final int MAX_PACKET_ID = 0xffff;

    /** Validates {@code c}; throws IllegalArgumentException naming the bad setting. */
    static BrokerSettings of(BrokerConfig c) {
        String host = trim(c.host());
        if (host.isEmpty()) {
            throw new IllegalArgumentException("host is empty");
        }
        port(c.port(), "port");
        port(c.tlsPort(), "tlsPort");
        if (c.port() == 0 && c.tlsPort() == 0) {
            throw new IllegalArgumentException("port and tlsPort are both 0: no listener");
        }
        Path cert = null;
        Path key = null;
        if (c.tlsPort() > 0) {
            if (trim(c.tlsCertFile()).isEmpty() || trim(c.tlsKeyFile()).isEmpty()) {
                throw new IllegalArgumentException("tlsPort is set but tlsCertFile or tlsKeyFile is empty");
            }
            cert = Path.of(trim(c.tlsCertFile()));
            key = Path.of(trim(c.tlsKeyFile()));
        }
        String user = trim(c.username());
        if (user.isEmpty() && !trim(c.password()).isEmpty()) {
            throw new IllegalArgumentException("password is set without a username");
        }
        positive(c.maxMessageBytes(), "maxMessageBytes");
        positive(c.sessionQueueSize(), "sessionQueueSize");
        positive(c.sessionExpirySeconds(), "sessionExpirySeconds");
        positive(c.maxConnections(), "maxConnections");
        positive(c.maxInFlight(), "maxInFlight");
        if (c.maxInFlight() > MAX_PACKET_ID) { // packet ids of the deliveries in flight must stay distinct
            throw new IllegalArgumentException("maxInFlight must be <= " + MAX_PACKET_ID + ", is " + c.maxInFlight());
        }
        positive(c.maxPendingAcks(), "maxPendingAcks");
        positive(c.maxRetainedTopics(), "maxRetainedTopics");
        positive(c.writeTimeoutSeconds(), "writeTimeoutSeconds");
        String data = trim(c.dataPath());
        Path dataPath = data.isEmpty()
                ? Path.of(System.getProperty("karaf.data", System.getProperty("java.io.tmpdir")), "broker")
                : Path.of(data);
        return new BrokerSettings(host, c.port(), c.persistence(), dataPath, user,
                c.password() == null ? "" : c.password(), c.tlsPort(), cert, key, c.maxMessageBytes(),
                c.sessionQueueSize(), c.sessionExpirySeconds(), c.maxConnections(), c.maxInFlight(),
                c.maxPendingAcks(), c.maxRetainedTopics(), Duration.ofSeconds(c.writeTimeoutSeconds()));
    }

    boolean authenticated() {
        return !username.isEmpty();
    }

    /** The listeners as URLs, for status output. */
    String listeners() {
        String plain = port > 0 ? "tcp://" + host + ":" + port : "";
        String tls = tlsPort > 0 ? "ssl://" + host + ":" + tlsPort : "";
        return plain.isEmpty() ? tls : tls.isEmpty() ? plain : plain + ", " + tls;
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static void port(int p, String name) {
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException(name + " " + p + " is not a port (0 = off)");
        }
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, is " + v);
        }
    }
}
