package dev.kedge.cloud.hub.internal;

import java.net.SocketAddress;
import java.time.Instant;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One edge node's WebSocket (must be public: Jetty calls it reflectively). Text frames are beehive messages; a
 * message may arrive fragmented, and is refused (not buffered) once it passes the size bound.
 */
public final class EdgeEndpoint implements Session.Listener.AutoDemanding, EdgeConnection {
    private final String node;
    private final long epoch;
    private final int maxBytes;
    private final Upstream upstream;
    private final Instant openedAt = Instant.now();
    private final StringBuilder partial = new StringBuilder();
    private boolean oversized;
    private volatile Session session;

    /** What the endpoint hands its events to (the hub). */
    interface Upstream {
        void opened(EdgeEndpoint endpoint);

        void frame(EdgeEndpoint endpoint, String text);

        void refused(EdgeEndpoint endpoint, String reason);

        void closed(EdgeEndpoint endpoint, int code, String reason);
    }

    EdgeEndpoint(String node, long epoch, int maxBytes, Upstream upstream) {
        this.node = node;
        this.epoch = epoch;
        this.maxBytes = maxBytes;
        this.upstream = upstream;
    }

    String node() {
        return node;
    }

    @Override
    public void onWebSocketOpen(Session s) {
        this.session = s;
        upstream.opened(this);
    }

    @Override
    public void onWebSocketPartialText(String text, boolean last) {
        if (!oversized) {
            if (partial.length() + text.length() > maxBytes) {
                oversized = true;
                partial.setLength(0);
            } else {
                partial.append(text);
            }
        }
        if (last) {
            if (oversized) {
                upstream.refused(this, "message larger than " + maxBytes + " bytes");
            } else {
                upstream.frame(this, partial.toString());
            }
            partial.setLength(0);
            oversized = false;
        }
    }

    @Override
    public void onWebSocketPartialBinary(java.nio.ByteBuffer payload, boolean last, Callback callback) {
        callback.succeed();
        if (last) {
            upstream.refused(this, "binary frame (beehive messages are JSON text)");
        }
    }

    @Override
    public void onWebSocketClose(int code, String reason) {
        upstream.closed(this, code, reason);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty closes the session after an error; onWebSocketClose does the cleanup
    }

    @Override
    public void write(String text, Runnable onFailure) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            onFailure.run();
            return;
        }
        s.sendText(text, Callback.from(() -> { }, t -> onFailure.run()));
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(code, reason, Callback.NOOP);
        }
    }

    @Override
    public boolean isOpen() {
        Session s = session;
        return s != null && s.isOpen();
    }

    @Override
    public SocketAddress remoteAddress() {
        Session s = session;
        return s == null ? null : s.getRemoteSocketAddress();
    }

    @Override
    public Instant openedAt() {
        return openedAt;
    }

    @Override
    public long epoch() {
        return epoch;
    }
}
