package dev.kedge.edge.cri.internal;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CRI client's validated configuration.
 *
 * @param runtimeEndpoint the endpoint as configured, for display
 * @param runtimeSocket   the runtime service's unix socket
 * @param imageSocket     the image service's unix socket (often the same)
 * @param callTimeout     deadline of every call but PullImage
 * @param pullTimeout     deadline of PullImage
 */
record CriSettings(String runtimeEndpoint, Path runtimeSocket, Path imageSocket, Duration callTimeout,
        Duration pullTimeout) {

    static final String DEFAULT_ENDPOINT = "unix:///run/containerd/containerd.sock";
    private static final String UNIX = "unix://";
    /** sun_path is 108 bytes with its terminating NUL. */
    private static final int MAX_SOCKET_PATH_BYTES = 107;

    /** Validates {@code c}; throws IllegalArgumentException naming the bad key. */
    static CriSettings of(CriConfig c) {
        String runtime = blankToDefault(c.remoteRuntimeEndpoint(), DEFAULT_ENDPOINT);
        Path runtimeSocket = socket("remoteRuntimeEndpoint", runtime);
        String image = blankToDefault(c.remoteImageEndpoint(), runtime);
        Path imageSocket = socket("remoteImageEndpoint", image);
        positive(c.runtimeRequestTimeout(), "runtimeRequestTimeout");
        positive(c.criCallTimeout(), "criCallTimeout");
        return new CriSettings(runtime, runtimeSocket, imageSocket, Duration.ofSeconds(c.criCallTimeout()),
                Duration.ofSeconds(c.runtimeRequestTimeout()));
    }

    /** The socket path of a {@code unix://} endpoint; tcp and npipe endpoints are not for a Linux gateway. */
    static Path socket(String key, String endpoint) {
        String path = endpoint.startsWith(UNIX) ? endpoint.substring(UNIX.length()) : endpoint;
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(key + ": \"" + endpoint
                    + "\" is not a unix socket endpoint; expected unix:///absolute/path.sock");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH_BYTES) {
            throw new IllegalArgumentException(key + ": socket path \"" + path + "\" is longer than "
                    + MAX_SOCKET_PATH_BYTES + " bytes, the limit of a unix socket address");
        }
        return Path.of(path).normalize();
    }

    private static String blankToDefault(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    private static void positive(int value, String key) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be a positive number of seconds, not " + value);
        }
    }
}
