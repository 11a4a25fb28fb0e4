package dev.kedge.itests.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.AckPolicy;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ObjectResp;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.ssl.SslHandler;

/**
 * Simulated Kedge edges for the metadata benchmark (issue #4), in the benchmark's own process. Each node connects
 * like {@link Fleet}'s (own certificate, real TLS WebSocket, KubeEdge's URL and headers, keepalive every 15 s) and
 * then does what edged + MetaManager do upstream: registers with {@code insert default/node/<node>} and waits for
 * the cloud's answer, renews its Lease every 10 s ({@code insert}, then {@code update} of
 * {@code kube-node-lease/lease/<node>}), reports node status ({@code update default/nodestatus/<node>}) at
 * registration and then every 5 min unless it changed (kubelet's nodeStatusReportFrequency; nothing changes here).
 * Downstream it acks every object at once ({@code response "OK"}, parent = its id) and records the first receive
 * time of each pod/configmap event; a pod that comes back with a deletionTimestamp is "killed" and deleted upstream
 * ({@code delete <ns>/pod/<name>}, content the pod: the cloud deletes it with grace 0 and its UID as precondition),
 * as edged does once the containers are gone.
 * <p>Bytes are counted per node below TLS (what goes on the TCP connection: records, WebSocket frames, keepalives).
 */
final class MetaEdges implements AutoCloseable {
    /** Bounds a node's outstanding synchronous requests (its leases and status reports, a few at most). */
    private static final int MAX_WAITING = 64;

    private final String host;
    private final int port;
    private final InetAddress source;
    private final SSLContext ssl;
    private final SSLParameters sslParams;
    private final NodeKeyManager keys;
    private final NioEventLoopGroup group;
    private final long leaseMs;
    private final long statusMs;
    private final long keepaliveMs;
    private final long syncTimeoutMs;
    final Edge[] edges;

    /** First receive time (µs since the epoch) per event: "insert ns/pod/x", "label ns/pod/x", "cm node ns/configmap/y"... */
    final Map<String, Long> seen = new ConcurrentHashMap<>();
    final LongAdder received = new LongAdder();
    final LongAdder acks = new LongAdder();
    final LongAdder answers = new LongAdder();
    final LongAdder errors = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder misrouted = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder unexpected = new LongAdder();
    final LongAdder leaseRenewals = new LongAdder();
    final LongAdder leaseFailures = new LongAdder();
    final LongAdder statusReports = new LongAdder();
    final LongAdder statusFailures = new LongAdder();
    final LongAdder podDeletesSent = new LongAdder();
    final LongAdder serverCloses = new LongAdder();
    final AtomicInteger up = new AtomicInteger();
    private final Map<String, LongAdder> downstreamKinds = new ConcurrentHashMap<>();
    /** Upstream message text (JSON, before WebSocket/TLS framing) per kind: bytes and count. */
    private final Map<String, LongAdder[]> upstreamKinds = new ConcurrentHashMap<>();
    private volatile String lastProblem = "";

    /** One simulated node; its channel state is touched on the event loop. */
    final class Edge {
        final int idx;
        final String name;
        final URI uri;
        final HttpHeaders headers;
        final LongAdder upBytes = new LongAdder();
        final LongAdder upWrites = new LongAdder();
        final LongAdder downBytes = new LongAdder();
        final Map<String, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();
        /** resource@resourceVersion of what arrived, to count objects the cloud sent twice. */
        final Set<String> versions = new HashSet<>();
        volatile Channel ch;
        volatile boolean wanted;
        volatile boolean isUp;
        volatile String uid = "";
        volatile String leaseVersion = "";
        volatile boolean leaseCreated;
        volatile long statusAtMs;
        volatile boolean heartbeating;

        Edge(int idx, String name) {
            this.idx = idx;
            this.name = name;
            this.uri = URI.create("wss://" + host + ":" + port + "/" + Fleet.PROJECT + "/" + name + "/events");
            this.headers = new DefaultHttpHeaders().add("node_id", name).add("project_id", Fleet.PROJECT)
                    .add("ConnectionUse", "msg");
        }

        String address() {
            return source.getHostAddress();
        }
    }

    MetaEdges(Credentials.Node[] nodes, java.security.cert.X509Certificate ca, Map<String, String> a)
            throws Exception {
        this.host = a.getOrDefault("host", "127.0.0.1");
        this.port = Integer.parseInt(a.get("port"));
        this.source = InetAddress.getByName(a.getOrDefault("source", "127.0.0.2"));
        this.keys = new NodeKeyManager(nodes);
        this.ssl = Fleet.clientContext(keys, ca);
        this.sslParams = new SSLParameters();
        sslParams.setProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
        sslParams.setCipherSuites(TlsContexts.CIPHER_SUITES.toArray(String[]::new));
        this.leaseMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("lease-seconds", "10")));
        this.statusMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("status-seconds", "300")));
        this.keepaliveMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("keepalive-seconds", "15")));
        this.syncTimeoutMs = TimeUnit.SECONDS.toMillis(Long.parseLong(a.getOrDefault("sync-timeout-seconds", "30")));
        this.group = new NioEventLoopGroup(Integer.parseInt(a.getOrDefault("edge-threads", "1")));
        this.edges = new Edge[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            edges[i] = new Edge(i, nodes[i].name());
        }
    }

    // ---------------------------------------------------------------- link

    /** Connects every node; true when all are up within the timeout. */
    boolean connectAll(long timeoutMs) throws InterruptedException {
        for (Edge e : edges) {
            e.wanted = true;
            connect(e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (up.get() < edges.length && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return up.get() == edges.length;
    }

    private void connect(Edge e) {
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = keys.clientTls(ssl, sslParams, e.idx, 60_000, ch);
                        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(e.uri).customHeaders(e.headers).handshakeTimeoutMillis(60_000)
                                .maxFramePayloadLength(16 * 1024 * 1024).sendCloseFrame(null).dropPongFrames(true)
                                .generateOriginHeader(false).build();
                        ch.pipeline().addLast(new ByteCounter(e), tls, new HttpClientCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(65536), new WebSocketClientProtocolHandler(ws),
                                new WebSocketFrameAggregator(16 * 1024 * 1024), new EdgeHandler(e));
                    }
                });
        Channel ch = b.connect(new InetSocketAddress(host, port), new InetSocketAddress(source, 0)).channel();
        e.ch = ch;
        ch.closeFuture().addListener(f -> {
            if (e.isUp) {
                e.isUp = false;
                up.decrementAndGet();
                if (e.wanted) {
                    serverCloses.increment();
                }
            }
            if (e.ch == ch) {
                e.ch = null;
            }
            if (e.wanted) { // EdgeHub reconnects after a pause
                group.schedule(() -> {
                    if (e.wanted && e.ch == null) {
                        connect(e);
                    }
                }, 1000 + ThreadLocalRandom.current().nextLong(1000), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** Counts the bytes on the TCP connection (below TLS): TLS records, handshakes, WebSocket framing, keepalives. */
    private static final class ByteCounter extends ChannelDuplexHandler {
        private final Edge e;

        ByteCounter(Edge e) {
            this.e = e;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof ByteBuf b) {
                e.downBytes.add(b.readableBytes());
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof ByteBuf b) {
                e.upBytes.add(b.readableBytes());
                e.upWrites.increment();
            }
            super.write(ctx, msg, promise);
        }
    }

    private final class EdgeHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final Edge e;

        EdgeHandler(Edge e) {
            this.e = e;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                e.isUp = true;
                up.incrementAndGet();
                Channel ch = ctx.channel();
                long first = ThreadLocalRandom.current().nextLong(keepaliveMs); // staggered, as many edges would be
                var keepalive = ch.eventLoop().scheduleAtFixedRate(() -> write(e, Message.create(
                        ModuleNames.EDGEHUB, ModuleNames.ROUTE_RESOURCE, Operations.KEEPALIVE, "node", "ping")),
                        first, keepaliveMs, TimeUnit.MILLISECONDS);
                ch.closeFuture().addListener(f -> keepalive.cancel(false));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            long nowUs = Fleet.nowMicros();
            Message m;
            try {
                m = MessageCodec.decode(frame.text());
            } catch (RuntimeException ex) {
                malformed.increment();
                return;
            }
            received.increment();
            if (Operations.KEEPALIVE.equals(m.operation())) {
                return;
            }
            // as a Kedge edge: MetaManager acks an object once stored, EdgeHub an answer it hands over — both only
            // where CloudHub waits for an ack (AckPolicy: not for registration or lease answers, "OK" or errors)
            boolean ackable = m.content() != null && AckPolicy.needsAck(m);
            if (ackable) {
                write(e, Message.responseTo(m, Operations.OK));
                acks.increment();
            }
            if (!m.parentId().isEmpty()) {
                CompletableFuture<Message> waiter = e.waiting.remove(m.parentId());
                if (waiter != null) {
                    answers.increment();
                    waiter.complete(m);
                    return;
                }
            }
            if (Operations.ERROR.equals(m.operation())) {
                errors.increment();
                lastProblem = e.name + ": error " + m.resource() + ": " + m.contentAsString();
                return;
            }
            downstream(e, m, nowUs);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastProblem = e.name + ": " + cause;
            ctx.close();
        }
    }

    /** A downstream object: record when it first arrived; a terminating pod is deleted upstream like edged does. */
    private void downstream(Edge e, Message m, long nowUs) {
        String[] r = m.resource().split("/", 3); // <ns>/<type>/<name>
        String type = r.length == 3 ? r[1] : "?";
        downstreamKinds.computeIfAbsent(m.operation() + " " + type, k -> new LongAdder()).increment();
        if (!m.header().resourceVersion().isEmpty()
                && !e.versions.add(m.operation() + " " + m.resource() + "@" + m.header().resourceVersion())) {
            duplicates.increment();
        }
        JsonNode obj = m.content() instanceof JsonNode j ? j : MessageCodec.mapper().missingNode();
        switch (type) {
            case "pod" -> {
                String nodeName = obj.path("spec").path("nodeName").asText("");
                if (!nodeName.equals(e.name)) {
                    misrouted.increment();
                    lastProblem = "pod " + m.resource() + " for " + nodeName + " arrived at " + e.name;
                }
                String op = m.operation();
                seen.putIfAbsent(op + " " + m.resource(), nowUs);
                if (Operations.UPDATE.equals(op)) {
                    if (obj.path("metadata").path("labels").has(MetaBench.UPDATE_LABEL)) {
                        seen.putIfAbsent("label " + m.resource(), nowUs);
                    }
                    if (obj.path("metadata").hasNonNull("deletionTimestamp")
                            && seen.putIfAbsent("terminating " + m.resource(), nowUs) == null) {
                        // the pod as last received: the cloud deletes with grace 0 and its UID as precondition
                        write(e, Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, Operations.DELETE,
                                m.resource(), obj));
                        podDeletesSent.increment();
                    }
                }
            }
            case "configmap", "secret" -> seen.putIfAbsent(type + " " + e.name + " " + m.resource(), nowUs);
            default -> unexpected.increment();
        }
    }

    private void write(Edge e, Message m) {
        Channel ch = e.ch;
        if (ch != null && e.isUp) {
            String text = MessageCodec.encodeToString(m);
            LongAdder[] kind = upstreamKinds.computeIfAbsent(upstreamKind(m), k -> new LongAdder[] {new LongAdder(),
                new LongAdder()});
            kind[0].add(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
            kind[1].increment();
            ch.writeAndFlush(new TextWebSocketFrame(text));
        }
    }

    private static String upstreamKind(Message m) {
        if (Operations.KEEPALIVE.equals(m.operation())) {
            return "keepalive";
        }
        if (Operations.RESPONSE.equals(m.operation())) {
            return "ack";
        }
        String[] r = m.resource().split("/", 3);
        return m.operation() + " " + (r.length == 3 ? r[1] : m.resource());
    }

    /** kind → {bytes, count} of upstream message text so far. */
    Map<String, long[]> upstreamKinds() {
        Map<String, long[]> m = new java.util.TreeMap<>();
        upstreamKinds.forEach((k, v) -> m.put(k, new long[] {v[0].sum(), v[1].sum()}));
        return m;
    }

    /** Sends a synchronous request (sync = true) and completes with the cloud's answer, or fails after the timeout. */
    private CompletableFuture<Message> request(Edge e, Message m) {
        CompletableFuture<Message> f = new CompletableFuture<>();
        if (!e.isUp) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        if (e.waiting.size() >= MAX_WAITING) {
            return CompletableFuture.failedFuture(new IllegalStateException("too many requests waiting"));
        }
        Message sync = m.withSync(true);
        e.waiting.put(sync.id(), f);
        f.orTimeout(syncTimeoutMs, TimeUnit.MILLISECONDS).whenComplete((x, t) -> e.waiting.remove(sync.id()));
        write(e, sync);
        return f;
    }

    private static Message answerOrFail(Message answer, String what) {
        if (Operations.ERROR.equals(answer.operation())) {
            throw new IllegalStateException(what + ": " + answer.contentAsString());
        }
        return answer;
    }

    // ---------------------------------------------------------------- what edged does

    /**
     * Registers every node ({@code insert default/node/<node>}, waiting for the cloud's answer) and starts its
     * heartbeats. A node without an answer tries again after {@code retryMs}, as kubelet does until it is registered.
     * Returns the number registered within the timeout.
     */
    int registerAll(long timeoutMs, long retryMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        AtomicInteger ok = new AtomicInteger();
        Set<Edge> done = ConcurrentHashMap.newKeySet();
        while (done.size() < edges.length && System.nanoTime() < deadline) {
            List<CompletableFuture<Void>> round = new ArrayList<>();
            for (Edge e : edges) {
                if (!done.contains(e)) {
                    round.add(register(e).thenAccept(registered -> {
                        if (registered && done.add(e)) {
                            ok.incrementAndGet();
                        }
                    }));
                }
            }
            long wait = Math.min(retryMs, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                CompletableFuture.allOf(round.toArray(CompletableFuture[]::new)).get(Math.max(1, wait),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException ex) {
                // the stragglers are asked again
            }
        }
        return ok.get();
    }

    private CompletableFuture<Boolean> register(Edge e) {
        Message insert = Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, Operations.INSERT,
                "default/node/" + e.name, EdgeObjects.node(e.name, e.address()));
        return request(e, insert).thenApply(answer -> {
            answerOrFail(answer, "register " + e.name);
            e.uid = ObjectResp.read(answer).field("/metadata/uid"); // KubeEdge's {"Object": node, "Err": null}
            startHeartbeats(e);
            return true;
        }).exceptionally(t -> {
            lastProblem = e.name + ": register: " + (t.getCause() != null ? t.getCause() : t);
            return false;
        });
    }

    /** First status report and Lease now; then the Lease every 10 s and status every 5 min (both staggered). */
    private void startHeartbeats(Edge e) {
        synchronized (e) {
            if (e.heartbeating) {
                return;
            }
            e.heartbeating = true;
        }
        reportStatus(e);
        // the next unconditional report falls anywhere in the next 5 min, as in a fleet whose nodes registered at
        // different times: a steady window then sees its fair share of status reports
        e.statusAtMs -= ThreadLocalRandom.current().nextLong(statusMs);
        renewLease(e);
        long first = ThreadLocalRandom.current().nextLong(leaseMs);
        group.scheduleAtFixedRate(() -> {
            renewLease(e);
            // kubelet checks every 10 s and reports when the status changed (never here) or 5 min have passed
            if (System.currentTimeMillis() - e.statusAtMs >= statusMs) {
                reportStatus(e);
            }
        }, first, leaseMs, TimeUnit.MILLISECONDS);
    }

    private void renewLease(Edge e) {
        if (!e.isUp) {
            return;
        }
        String op = e.leaseCreated ? Operations.UPDATE : Operations.INSERT;
        Message m = Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, op,
                EdgeObjects.LEASE_NAMESPACE + "/lease/" + e.name, EdgeObjects.lease(e.name, e.uid, e.leaseVersion));
        leaseRenewals.increment();
        request(e, m).whenComplete((answer, t) -> {
            if (t != null || Operations.ERROR.equals(answer.operation())) {
                e.leaseCreated = false; // start over, as edged does after an error
                e.leaseVersion = "";
                leaseFailures.increment();
                lastProblem = e.name + ": lease " + op + ": " + (t != null ? t : answer.contentAsString());
            } else {
                e.leaseCreated = true;
                e.leaseVersion = ObjectResp.read(answer).field("/metadata/resourceVersion");
            }
        });
    }

    private void reportStatus(Edge e) {
        if (!e.isUp) {
            return;
        }
        e.statusAtMs = System.currentTimeMillis();
        Message m = Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META, Operations.UPDATE,
                "default/nodestatus/" + e.name, EdgeObjects.statusRequest(e.uid, e.address()));
        statusReports.increment();
        request(e, m).whenComplete((answer, t) -> {
            if (t != null || Operations.ERROR.equals(answer.operation())) {
                statusFailures.increment();
                lastProblem = e.name + ": node status: " + (t != null ? t : answer.contentAsString());
            }
        });
    }

    // ---------------------------------------------------------------- figures

    long upBytes() {
        long s = 0;
        for (Edge e : edges) {
            s += e.upBytes.sum();
        }
        return s;
    }

    long upWrites() {
        long s = 0;
        for (Edge e : edges) {
            s += e.upWrites.sum();
        }
        return s;
    }

    long downBytes() {
        long s = 0;
        for (Edge e : edges) {
            s += e.downBytes.sum();
        }
        return s;
    }

    String lastProblem() {
        return lastProblem;
    }

    String downstreamKinds() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(downstreamKinds).forEach((k, v) -> b.append(b.length() > 0 ? ", " : "")
                .append(k).append('=').append(v.sum()));
        return b.toString();
    }

    @Override
    public void close() {
        for (Edge e : edges) {
            e.wanted = false;
        }
        for (Edge e : edges) {
            Channel ch = e.ch;
            if (ch != null) {
                ch.close();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }
}
