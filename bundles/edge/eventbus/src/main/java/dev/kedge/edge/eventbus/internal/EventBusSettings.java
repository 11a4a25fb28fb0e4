package dev.kedge.edge.eventbus.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * EventBus's validated configuration.
 *
 * @param internalInProcess use the embedded broker of this JVM (the one on {@code internalUrl}'s port) in process,
 *                          when {@code internalUrl} is on this host
 * @param clientId MQTT client id on every broker (KubeEdge's sub client id)
 * @param tls      TLS files for the external broker; null when TLS is off
 */
record EventBusSettings(int mode, String internalUrl, boolean internalInProcess, String externalUrl, int qos,
        boolean retain, String clientId, String username, char[] password, TlsFiles tls, String nodeName,
        int maxPayloadBytes, int outboundQueueSize, Duration reconnectMin, Duration reconnectMax, int keepAliveSeconds) {

    static final int INTERNAL = 0;
    static final int BOTH = 1;
    static final int EXTERNAL = 2;

    /** PEM files of the TLS connection. */
    record TlsFiles(Path ca, Path cert, Path key) {
    }

    /** Validates {@code c}; throws IllegalArgumentException naming the bad setting. */
    static EventBusSettings of(EventBusConfig c, long nowMillis) {
        if (c.mqttMode() < INTERNAL || c.mqttMode() > EXTERNAL) {
            throw new IllegalArgumentException("mqttMode must be 0 (internal), 1 (both) or 2 (external), is "
                    + c.mqttMode());
        }
        String internal = url(c.mqttServerInternal(), "mqttServerInternal");
        String external = url(c.mqttServerExternal(), "mqttServerExternal");
        if (c.mqttQOS() < 0 || c.mqttQOS() > 2) {
            throw new IllegalArgumentException("mqttQOS must be 0, 1 or 2, is " + c.mqttQOS());
        }
        positive(c.maxPayloadBytes(), "maxPayloadBytes");
        positive(c.outboundQueueSize(), "outboundQueueSize");
        positive(c.reconnectMinMs(), "reconnectMinMs");
        positive(c.keepAliveSeconds(), "keepAliveSeconds");
        TlsFiles tls = null;
        if (c.tlsEnable()) {
            tls = new TlsFiles(path(c.tlsMqttCAFile(), "tlsMqttCAFile"), path(c.tlsMqttCertFile(), "tlsMqttCertFile"),
                    path(c.tlsMqttPrivateKeyFile(), "tlsMqttPrivateKeyFile"));
        }
        String id = trim(c.mqttSubClientID());
        if (id.isEmpty()) {
            // KubeEdge's generated id: hub-client-sub- and the first 10 digits of the time in milliseconds
            String ms = Long.toString(nowMillis);
            id = "hub-client-sub-" + ms.substring(0, Math.min(10, ms.length()));
        }
        String user = trim(c.mqttUsername());
        return new EventBusSettings(c.mqttMode(), internal, c.internalInProcess(), external, c.mqttQOS(), c.mqttRetain(),
                id, user,
                c.mqttPassword() == null ? new char[0] : c.mqttPassword().toCharArray(), tls, trim(c.nodeName()),
                c.maxPayloadBytes(), c.outboundQueueSize(), Duration.ofMillis(c.reconnectMinMs()),
                Duration.ofMillis(Math.max(c.reconnectMinMs(), c.reconnectMaxMs())), c.keepAliveSeconds());
    }

    boolean usesInternal() {
        return mode <= BOTH;
    }

    /**
     * Whether EventBus uses the embedded broker in process: asked to, and the internal URL is plain tcp on this host
     * (a loopback name, or KubeEdge's 0.0.0.0 when the broker listens on every interface). Another host, or TLS, is a
     * broker EventBus connects to as a client.
     */
    boolean internalInProcessUsed() {
        URI u = URI.create(internalUrl);
        String host = u.getHost().toLowerCase(java.util.Locale.ROOT);
        boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("0.0.0.0")
                || host.equals("[::1]") || host.equals("[::]");
        return internalInProcess && usesInternal() && "tcp".equals(u.getScheme()) && local;
    }

    /** The internal URL's port: the embedded broker's, when it is used in process. */
    int internalPort() {
        return URI.create(internalUrl).getPort();
    }

    boolean usesExternal() {
        return mode >= BOTH;
    }

    private static String url(String value, String name) {
        String u = trim(value);
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " \"" + u + "\" is not a URL");
        }
        if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
            throw new IllegalArgumentException(name + " \"" + u + "\" must be tcp://host:port or ssl://host:port");
        }
        if (uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException(name + " \"" + u + "\" needs a host and a port");
        }
        return u;
    }

    private static Path path(String value, String name) {
        String p = trim(value);
        if (p.isEmpty()) {
            throw new IllegalArgumentException("tlsEnable is set but " + name + " is empty");
        }
        return Path.of(p);
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }

    private static void positive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, is " + v);
        }
    }
}
