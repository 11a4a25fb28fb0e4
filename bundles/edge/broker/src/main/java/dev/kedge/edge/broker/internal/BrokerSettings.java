package dev.kedge.edge.broker.internal;

import java.nio.file.Path;
import java.util.Properties;

/** The broker's validated configuration, and its translation into Moquette's properties. */
record BrokerSettings(String host, int port, boolean persistence, Path dataPath, String username, String password,
        int tlsPort, Path tlsCertFile, Path tlsKeyFile, int maxMessageBytes, int sessionQueueSize,
        int sessionExpirySeconds) {

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
        String data = trim(c.dataPath());
        Path dataPath = data.isEmpty()
                ? Path.of(System.getProperty("karaf.data", System.getProperty("java.io.tmpdir")), "broker")
                : Path.of(data);
        return new BrokerSettings(host, c.port(), c.persistence(), dataPath, user,
                c.password() == null ? "" : c.password(), c.tlsPort(), cert, key, c.maxMessageBytes(),
                c.sessionQueueSize(), c.sessionExpirySeconds());
    }

    boolean authenticated() {
        return !username.isEmpty();
    }

    /** What Moquette reads; everything that would reach out (telemetry, metrics, error reporting) is off. */
    Properties moquetteProperties() {
        Properties p = new Properties();
        p.setProperty("host", host);
        p.setProperty("port", port > 0 ? Integer.toString(port) : "disabled");
        p.setProperty("websocket_port", "disabled");
        if (tlsPort > 0) {
            p.setProperty("ssl_port", Integer.toString(tlsPort));
        }
        p.setProperty("persistence_enabled", Boolean.toString(persistence));
        if (persistence) {
            p.setProperty("data_path", dataPath.toString());
        }
        p.setProperty("allow_anonymous", Boolean.toString(!authenticated()));
        // MQTT 3.1.1 lets a clean-session client send an empty id (mosquitto_pub and mosquitto_sub do)
        p.setProperty("allow_zero_byte_client_id", "true");
        p.setProperty("netty.mqtt.message_size", Integer.toString(maxMessageBytes));
        p.setProperty("session_queue_size", Integer.toString(sessionQueueSize));
        p.setProperty("persistent_client_expiration", sessionExpirySeconds + "s");
        p.setProperty("telemetry_enabled", "false");
        p.setProperty("use_metrics", "false");
        p.setProperty("use_bugsnag", "false");
        p.setProperty("immediate_buffer_flush", "true");
        return p;
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
