package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link EdgeHubConfig} checked and resolved once per (re)configuration: defaults filled in, the CloudHub address
 * parsed, {@code ${property}} references in paths expanded. Immutable.
 */
public record HubSettings(String server, URI httpServer, String token, String nodeName, String projectId,
        Duration heartbeat, int qps, int burst, Path certDir, Duration handshakeTimeout, Duration writeDeadline,
        Duration reconnectMin, Duration reconnectMax, int outboxCapacity, int maxFrameBytes) {

    public static final int DEFAULT_HTTPS_PORT = 10002;
    // Kubernetes node names are DNS subdomains; they also end up in a URL path and a certificate CN
    private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

    public HubSettings {
        Objects.requireNonNull(server, "server");
        token = token == null ? "" : token.strip();
        positive(heartbeat, "heartbeat");
        positive(handshakeTimeout, "handshakeTimeout");
        positive(writeDeadline, "writeDeadline");
        positive(reconnectMin, "reconnectMin");
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax " + reconnectMax + " is below reconnectMin " + reconnectMin);
        }
        if (qps <= 0 || burst <= 0 || outboxCapacity <= 0 || maxFrameBytes <= 0) {
            throw new IllegalArgumentException("messageQPS, messageBurst, outboxCapacity and maxFrameBytes must be > 0");
        }
    }

    /** Resolves the component configuration; throws {@link IllegalArgumentException} naming the bad key. */
    public static HubSettings of(EdgeHubConfig c) {
        String server = normalizeServer(c.server());
        URI http = server.isEmpty() ? null : httpServer(c.httpServer(), server);
        String node = checkNodeName(c.nodeName() == null || c.nodeName().isBlank() ? hostName() : c.nodeName().strip());
        return new HubSettings(server, http, c.token(), node, c.projectID().strip(), Duration.ofSeconds(c.heartbeat()),
                c.messageQPS(), c.messageBurst(), Path.of(expand(c.certDir())),
                Duration.ofSeconds(c.handshakeTimeout()), Duration.ofSeconds(c.writeDeadline()),
                Duration.ofSeconds(c.reconnectMin()), Duration.ofSeconds(c.reconnectMax()), c.outboxCapacity(),
                c.maxFrameBytes());
    }

    /** Returns {@code node} if it is a valid Kubernetes node name, else throws saying why. */
    public static String checkNodeName(String node) {
        if (!NODE_NAME.matcher(node).matches()) {
            throw new IllegalArgumentException("node name \"" + node
                    + "\" is not a valid Kubernetes node name (lower case letters, digits, '-', '.')");
        }
        return node;
    }

    /** True once a CloudHub address is configured ({@code kedge:join} or etc/dev.kedge.edge.hub.cfg). */
    public boolean joined() {
        return !server.isEmpty();
    }

    /** {@code wss://<server>/<projectID>/<nodeName>/events}, KubeEdge's URL (CloudHub itself ignores the path). */
    public URI webSocketUri() {
        return URI.create("wss://" + server + "/" + projectId + "/" + nodeName + "/events");
    }

    /** The settings without the token: what decides whether a reconfiguration must drop the link. */
    public HubSettings withoutToken() {
        return new HubSettings(server, httpServer, "", nodeName, projectId, heartbeat, qps, burst, certDir,
                handshakeTimeout, writeDeadline, reconnectMin, reconnectMax, outboxCapacity, maxFrameBytes);
    }

    /** host:port, accepting (and dropping) a wss:// prefix or a trailing slash that operators paste by habit. */
    public static String normalizeServer(String raw) {
        String s = raw == null ? "" : raw.strip();
        if (s.isEmpty()) {
            return "";
        }
        s = s.replaceFirst("^(?i)wss?://", "").replaceFirst("/+$", "");
        URI u = parseHostPort(s, "server");
        if (u.getPort() < 0) {
            throw new IllegalArgumentException("server \"" + raw + "\" needs a port, e.g. " + s + ":10000");
        }
        return s;
    }

    private static URI httpServer(String raw, String server) {
        if (raw == null || raw.isBlank()) {
            return URI.create("https://" + parseHostPort(server, "server").getRawAuthority()
                    .replaceFirst(":\\d+$", "") + ":" + DEFAULT_HTTPS_PORT);
        }
        String s = raw.strip().replaceFirst("/+$", "");
        try {
            URI u = new URI(s);
            if (!"https".equalsIgnoreCase(u.getScheme()) || u.getHost() == null) {
                throw new IllegalArgumentException("httpServer \"" + raw + "\" must look like https://host:10002");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("httpServer \"" + raw + "\" is not a URL: " + e.getMessage(), e);
        }
    }

    private static URI parseHostPort(String hostPort, String key) {
        try {
            URI u = new URI("wss://" + hostPort);
            if (u.getHost() == null || (u.getPath() != null && !u.getPath().isEmpty())) {
                throw new IllegalArgumentException(key + " \"" + hostPort + "\" must be host:port");
            }
            return u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(key + " \"" + hostPort + "\" must be host:port: " + e.getMessage(), e);
        }
    }

    /** Expands {@code ${name}} from system properties (Karaf sets karaf.etc); an unknown name is an error. */
    static String expand(String path) {
        Matcher m = PROPERTY.matcher(path);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = System.getProperty(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("certDir \"" + path + "\" uses ${" + m.group(1)
                        + "} but that system property is not set");
            }
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /**
     * KubeEdge's default node name: the host name (os.Hostname), lower-cased. Read from the kernel first, because
     * {@link InetAddress#getLocalHost()} also resolves the name and hangs on a gateway with broken DNS.
     */
    public static String hostName() {
        String name = "";
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            name = Objects.requireNonNullElse(System.getenv("HOSTNAME"), System.getenv("COMPUTERNAME") + "");
        }
        if (name.isBlank() || name.equals("null")) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                name = "localhost";
            }
        }
        return name.strip().toLowerCase(Locale.ROOT);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
