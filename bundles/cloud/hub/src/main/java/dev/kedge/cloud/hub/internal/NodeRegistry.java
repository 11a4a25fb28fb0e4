package dev.kedge.cloud.hub.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.hub.NodeInfo;
import dev.kedge.core.MalformedMessageException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.TlsException;

/**
 * Nodes and their connections. Admits a WebSocket only when the {@code node_id} header names the node its client
 * certificate was issued to ({@code CN=system:node:<node_id>}) and the node limit allows; a second connection of a
 * node replaces the first, and the first one's cleanup cannot touch the second (connection epochs).
 */
final class NodeRegistry implements WebSocketCreator, EdgeEndpoint.Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);

    final LongAdder refusedHandshakes = new LongAdder();
    final LongAdder malformedFrames = new LongAdder();
    final LongAdder keepaliveTimeouts = new LongAdder();
    /** Downstream messages for nodes neither connected here nor briefly away (another replica serves them). */
    final LongAdder notConnected = new LongAdder();
    private final Map<String, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicLong epochs = new AtomicLong();
    private final AtomicInteger connected = new AtomicInteger();
    private final CloudHubConfig config;
    private final ScheduledExecutorService scheduler;
    private final UpstreamRouter router;
    private final CertificateAuthority ca;
    private final Node.AckedElsewhere ackedElsewhere;

    NodeRegistry(CloudHubConfig config, CertificateAuthority ca, ScheduledExecutorService scheduler,
            UpstreamRouter router, Node.AckedElsewhere ackedElsewhere) {
        this.config = config;
        this.ackedElsewhere = ackedElsewhere;
        this.ca = ca;
        this.scheduler = scheduler;
        this.router = router;
        long period = Math.max(250, config.keepaliveInterval() * 1000L / 10);
        scheduler.scheduleWithFixedDelay(this::closeSilentNodes, period, period, TimeUnit.MILLISECONDS);
    }

    Node node(String name) {
        return nodes.computeIfAbsent(name, n -> new Node(n, config.maxQueuedPerNode(), scheduler,
                config.ackTimeoutMs(), config.ackWrites(), ackedElsewhere));
    }

    Node existing(String name) {
        return nodes.get(name);
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String node = request.getHeaders().get("node_id");
        if (node == null || node.isBlank()) {
            return refuse(request, response, callback, 400, "node_id header missing");
        }
        X509Certificate[] certs = request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
                instanceof EndPoint.SslSessionData tls ? tls.peerCertificates() : null;
        if (certs == null || certs.length == 0) {
            return refuse(request, response, callback, 401, "no client certificate");
        }
        try {
            ca.verifyClientCertificate(certs[0], node); // CN must be system:node:<node_id>
        } catch (TlsException e) {
            return refuse(request, response, callback, 403, "certificate of '"
                    + certs[0].getSubjectX500Principal().getName() + "' refused for node '" + node + "': "
                    + e.getMessage());
        }
        Node existing = nodes.get(node);
        boolean replacing = existing != null && existing.connection() != null;
        if (!replacing && connected.get() >= config.nodeLimit()) {
            return refuse(request, response, callback, 503, "node limit " + config.nodeLimit() + " reached");
        }
        return new EdgeEndpoint(node, epochs.incrementAndGet(), config.maxFrameBytes(), this);
    }

    private Object refuse(Request request, Response response, Callback callback, int status, String reason) {
        refusedHandshakes.increment();
        LOG.warn("edge connection from {} refused ({}): {}", Request.getRemoteAddr(request), status, reason);
        Response.writeError(request, response, callback, status, reason);
        return null;
    }

    @Override
    public void opened(EdgeEndpoint endpoint) {
        Node node = node(endpoint.node());
        EdgeConnection old = node.attach(endpoint);
        if (old != null) {
            LOG.info("node {} reconnected from {}: replacing its older connection", node.name, endpoint.remoteAddress());
            old.close(4000, "replaced by a newer connection");
        } else {
            connected.incrementAndGet();
            LOG.info("node {} connected from {}", node.name, endpoint.remoteAddress());
            router.linkEvent(node.name, true);
        }
    }

    @Override
    public void frame(EdgeEndpoint endpoint, String text) {
        Node node = node(endpoint.node());
        if (node.connection() != endpoint) {
            return; // a replaced connection's late frames
        }
        node.touch();
        node.received.incrementAndGet();
        Message m;
        try {
            m = MessageCodec.decode(text);
        } catch (MalformedMessageException e) {
            refused(endpoint, e.getMessage());
            return;
        }
        router.route(node, m);
    }

    @Override
    public void refused(EdgeEndpoint endpoint, String reason) {
        malformedFrames.increment();
        LOG.warn("malformed frame from node {} ignored: {}", endpoint.node(), reason);
    }

    @Override
    public void closed(EdgeEndpoint endpoint, int code, String reason) {
        Node node = nodes.get(endpoint.node());
        if (node != null && node.detach(endpoint)) {
            connected.decrementAndGet();
            LOG.info("node {} disconnected ({} {})", node.name, code, reason);
            router.linkEvent(node.name, false);
        }
    }

    boolean disconnect(String name) {
        Node node = nodes.get(name);
        EdgeConnection c = node == null ? null : node.connection();
        if (c == null) {
            return false;
        }
        c.close(4001, "disconnected by an operator");
        return true;
    }

    /** KubeEdge's keepalive check: a node silent for keepaliveInterval is cut off. */
    private void closeSilentNodes() {
        long limit = TimeUnit.SECONDS.toNanos(config.keepaliveInterval());
        for (Node node : nodes.values()) {
            int dropped = node.dropIfAway(limit);
            if (dropped > 0) {
                LOG.info("node {} away for more than {} s: {} queued messages dropped (sent again from the"
                        + " ObjectSyncs when it connects, here or to another replica)", node.name,
                        config.keepaliveInterval(), dropped);
            }
            EdgeConnection c = node.connection();
            if (c != null && node.silentNanos() > limit) {
                keepaliveTimeouts.increment();
                LOG.warn("node {} silent for more than {} s: closing its connection", node.name,
                        config.keepaliveInterval());
                c.close(1001, "keepalive timeout");
            }
        }
    }

    int connectedCount() {
        return connected.get();
    }

    List<NodeInfo> infos() {
        List<NodeInfo> list = new ArrayList<>();
        for (Node n : nodes.values()) {
            EdgeConnection c = n.connection();
            NodeQueues q = n.queues;
            long sent;
            long resends;
            synchronized (q) {
                sent = q.sent;
                resends = q.resends;
            }
            list.add(new NodeInfo(n.name, c == null ? "" : String.valueOf(c.remoteAddress()),
                    c == null ? null : c.openedAt(), c == null ? 0 : c.epoch(), q.ackQueueSize(), q.noAckQueueSize(),
                    q.pendingAcks(), sent, n.received.get(), resends));
        }
        list.sort(Comparator.comparing(NodeInfo::node));
        return list;
    }
}
