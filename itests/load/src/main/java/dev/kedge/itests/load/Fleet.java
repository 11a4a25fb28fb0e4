package dev.kedge.itests.load;

import java.io.BufferedReader;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.tls.TlsContexts;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
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
import io.netty.util.concurrent.ScheduledFuture;

/**
 * One load process: a slice of the simulated edge fleet. Each node has its own certificate (one SSLContext, the
 * {@link NodeKeyManager} picks the key by engine), a real TLS WebSocket to CloudHub with KubeEdge's URL and headers,
 * sends the 15 s keepalive (staggered) and acks every downstream message at once ({@code response}, content "OK",
 * parent_msg_id = its id), recording receive time − header timestamp.
 * <p>Driven line by line on stdin by {@link Bench}; answers {@code RESULT <cmd> k=v ...} on stdout. Exits on
 * {@code quit}, on end of stdin, or after {@code --max-seconds} whatever happens.
 */
public final class Fleet {
    static final String PROJECT = "e632aba927ea4ac2b575ec1603d56f10";
    private static final int MAX_SAMPLES = 4_000_000;

    private final String host;
    private final int port;
    private final InetAddress[] sources;
    private final Credentials.Node[] nodes;
    private final Conn[] conns;
    private final NioEventLoopGroup group;
    private final SSLContext ssl;
    private final SSLParameters sslParams;
    private final NodeKeyManager keys;
    private final long handshakeTimeoutMs;
    private final long keepaliveMs;
    private final int maxInflight;
    private final PrintStream out;

    private final AtomicInteger up = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger inflight = new AtomicInteger();
    private final ConcurrentLinkedQueue<Conn> pending = new ConcurrentLinkedQueue<>();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder serverCloses = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder acks = new LongAdder();
    private final LongAdder keepalives = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private volatile long lastUpNanos;
    private volatile String lastFailure = "";

    private final Object latLock = new Object();
    private int[] lat = new int[1024];
    /** Receive time of each sample, ms since lat-start (for the latency timeline). */
    private int[] latAt = new int[1024];
    private long latStartMs;
    private int latN;
    private volatile boolean recording;

    /** One simulated node. Fields are touched on its channel's event loop, or by the control thread between phases. */
    final class Conn {
        final int idx;
        final String name;
        final URI uri;
        final HttpHeaders headers;
        volatile Channel ch;
        volatile boolean wanted;
        boolean isUp;
        int failures;
        String lastMsgId = "";
        ScheduledFuture<?> keepalive;

        Conn(int idx, String name) {
            this.idx = idx;
            this.name = name;
            this.uri = URI.create("wss://" + host + ":" + port + "/" + PROJECT + "/" + name + "/events");
            this.headers = new DefaultHttpHeaders().add("node_id", name).add("project_id", PROJECT)
                    .add("ConnectionUse", "msg");
        }
    }

    Fleet(Map<String, String> a, PrintStream out) throws Exception {
        this.out = out;
        this.host = a.getOrDefault("host", "127.0.0.1");
        this.port = Integer.parseInt(a.get("port"));
        String[] src = a.getOrDefault("sources", "127.0.0.2").split(",");
        this.sources = new InetAddress[src.length];
        for (int i = 0; i < src.length; i++) {
            sources[i] = InetAddress.getByName(src[i].trim());
        }
        int from = Integer.parseInt(a.get("from"));
        int to = Integer.parseInt(a.get("to"));
        Path creds = Path.of(a.get("creds"));
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(Path.of(a.get("ca"))));
        String caHash = dev.kedge.core.tls.JoinToken.caHash(ca.getEncoded());
        this.nodes = Credentials.load(creds, caHash, from, to);
        this.keys = new NodeKeyManager(nodes);
        this.ssl = clientContext(keys, ca);
        this.sslParams = new SSLParameters();
        sslParams.setProtocols(TlsContexts.PROTOCOLS.toArray(String[]::new));
        sslParams.setCipherSuites(TlsContexts.CIPHER_SUITES.toArray(String[]::new));
        this.handshakeTimeoutMs = Long.parseLong(a.getOrDefault("handshake-timeout-ms", "180000"));
        this.keepaliveMs = Long.parseLong(a.getOrDefault("keepalive-ms", "15000"));
        this.maxInflight = Integer.parseInt(a.getOrDefault("inflight", "1000000"));
        this.group = new NioEventLoopGroup(Integer.parseInt(a.getOrDefault("threads", "1")));
        this.conns = new Conn[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            conns[i] = new Conn(i, nodes[i].name());
        }
    }

    static SSLContext clientContext(NodeKeyManager km, X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca); // only the cloud's CA
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[] {km}, tmf.getTrustManagers(), null);
        // engines are created without a peer host, so no session is ever resumed (Go's edge does full handshakes);
        // keep the client cache from holding thousands of sessions anyway
        ctx.getClientSessionContext().setSessionCacheSize(1);
        return ctx;
    }

    // ---------------------------------------------------------------- connections

    private void enqueue(Conn c) {
        pending.add(c);
        drain();
    }

    /** Starts pending connects while fewer than maxInflight handshakes run (one start per node at a time). */
    private synchronized void drain() {
        while (true) {
            int n = inflight.get();
            if (n >= maxInflight) {
                return;
            }
            Conn c = pending.peek();
            if (c == null) {
                return;
            }
            if (!inflight.compareAndSet(n, n + 1)) {
                continue;
            }
            c = pending.poll();
            if (c == null) {
                inflight.decrementAndGet();
                return;
            }
            if (!c.wanted || c.ch != null) {
                inflight.decrementAndGet();
                continue;
            }
            start(c);
        }
    }

    private void start(Conn c) {
        attempts.increment();
        boolean[] released = {false};
        Runnable release = () -> {
            if (!released[0]) {
                released[0] = true;
                inflight.decrementAndGet();
                drain();
            }
        };
        InetAddress source = sources[c.idx % sources.length];
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler tls = keys.clientTls(ssl, sslParams, c.idx, handshakeTimeoutMs, ch);
                        tls.handshakeFuture().addListener(f -> {
                            if (!f.isSuccess()) {
                                lastFailure = "tls: " + f.cause();
                            }
                        });
                        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                                .webSocketUri(c.uri).customHeaders(c.headers).handshakeTimeoutMillis(handshakeTimeoutMs)
                                .maxFramePayloadLength(16 * 1024 * 1024).sendCloseFrame(null).dropPongFrames(true)
                                .generateOriginHeader(false).build();
                        ChannelPipeline p = ch.pipeline();
                        p.addLast(tls, new HttpClientCodec(4096, 8192, 8192), new HttpObjectAggregator(65536),
                                new WebSocketClientProtocolHandler(ws), new WebSocketFrameAggregator(16 * 1024 * 1024),
                                new NodeHandler(c, release));
                    }
                });
        ChannelFuture f = b.connect(new InetSocketAddress(host, port), new InetSocketAddress(source, 0));
        Channel ch = f.channel();
        c.ch = ch;
        open.incrementAndGet();
        f.addListener(done -> {
            if (!done.isSuccess()) {
                lastFailure = "connect: " + done.cause();
            }
        });
        ch.closeFuture().addListener(done -> ended(c, ch, release));
    }

    /** A channel is gone: count it, and reconnect (with backoff, as EdgeHub does) if the node should be up. */
    private void ended(Conn c, Channel ch, Runnable release) {
        open.decrementAndGet();
        if (c.keepalive != null) {
            c.keepalive.cancel(false);
            c.keepalive = null;
        }
        boolean wasUp = c.isUp;
        if (wasUp) {
            c.isUp = false;
            up.decrementAndGet();
        }
        if (c.ch == ch) {
            c.ch = null;
        }
        release.run();
        if (!c.wanted) {
            return;
        }
        if (wasUp) {
            serverCloses.increment();
        } else {
            failedAttempts.increment();
        }
        c.failures++;
        long base = Math.min(8000, 250L << Math.min(5, c.failures));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        group.schedule(() -> {
            if (c.wanted && c.ch == null) {
                enqueue(c);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    private final class NodeHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final Conn c;
        private final Runnable release;

        NodeHandler(Conn c, Runnable release) {
            this.c = c;
            this.release = release;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                c.isUp = true;
                c.failures = 0;
                up.incrementAndGet();
                lastUpNanos = System.nanoTime();
                release.run();
                long first = ThreadLocalRandom.current().nextLong(keepaliveMs); // staggered
                c.keepalive = ctx.channel().eventLoop().scheduleAtFixedRate(() -> keepalive(ctx.channel()), first,
                        keepaliveMs, TimeUnit.MILLISECONDS);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                lastFailure = "websocket handshake timeout";
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            long nowUs = nowMicros();
            Message m;
            try {
                m = MessageCodec.decode(frame.text());
            } catch (RuntimeException e) {
                malformed.increment();
                return;
            }
            received.increment();
            if (m.id().equals(c.lastMsgId)) {
                duplicates.increment(); // CloudHub wrote it again: our ack was late or lost
            }
            c.lastMsgId = m.id();
            if (recording) {
                record(nowUs - m.header().timestamp() * 1000L);
            }
            boolean plainAnswer = Operations.RESPONSE.equals(m.operation()) && Operations.OK.equals(m.content());
            if (!plainAnswer && !Operations.KEEPALIVE.equals(m.operation())) {
                ctx.writeAndFlush(new TextWebSocketFrame(MessageCodec.encodeToString(Message.responseTo(m,
                        Operations.OK))));
                acks.increment();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            lastFailure = String.valueOf(cause);
            ctx.close();
        }
    }

    private void keepalive(Channel ch) {
        if (ch.isActive()) {
            Message m = Message.create("websocket", "resource", Operations.KEEPALIVE, "node", "ping");
            ch.writeAndFlush(new TextWebSocketFrame(MessageCodec.encodeToString(m)));
            keepalives.increment();
        }
    }

    static long nowMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
    }

    private void record(long micros) {
        synchronized (latLock) {
            if (latN == lat.length) {
                if (lat.length >= MAX_SAMPLES) {
                    return;
                }
                lat = Arrays.copyOf(lat, Math.min(MAX_SAMPLES, lat.length * 2));
                latAt = Arrays.copyOf(latAt, lat.length);
            }
            latAt[latN] = (int) (System.currentTimeMillis() - latStartMs);
            lat[latN++] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, micros));
        }
    }

    // ---------------------------------------------------------------- phases

    /** Connects every node that is not up; returns when all are up or after timeout. */
    private String connectAll(long timeoutMs) throws InterruptedException {
        long t0 = System.nanoTime();
        long a0 = attempts.sum();
        long f0 = failedAttempts.sum();
        lastUpNanos = t0;
        for (Conn c : conns) {
            c.wanted = true;
            c.failures = 0;
            if (c.ch == null) {
                pending.add(c);
            }
        }
        drain();
        boolean all = awaitUp(conns.length, t0, timeoutMs);
        long ms = (Math.max(lastUpNanos, t0) - t0) / 1_000_000;
        return "up=" + up.get() + " of=" + conns.length + " all=" + all + " ms=" + ms + " attempts="
                + (attempts.sum() - a0) + " failed=" + (failedAttempts.sum() - f0) + " lastFailure=" + quote(lastFailure);
    }

    private boolean awaitUp(int target, long t0, long timeoutMs) throws InterruptedException {
        long deadline = t0 + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (up.get() < target && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return up.get() >= target;
    }

    /** Every node drops its link at once, then all reconnect at once. */
    private String storm(long timeoutMs) throws InterruptedException {
        long closeMs = dropAll();
        if (open.get() > 0) {
            return "closeMs=" + closeMs + " stillOpen=" + open.get() + " all=false";
        }
        return "closeMs=" + closeMs + " " + connectAll(timeoutMs);
    }

    /** Every node disconnects and stays away. */
    private String closeAll() throws InterruptedException {
        long ms = dropAll();
        return "open=" + open.get() + " ms=" + ms;
    }

    /** Every node drops its link and is not reconnected; returns the ms until none was open (at most 60 s). */
    private long dropAll() throws InterruptedException {
        long t0 = System.nanoTime();
        for (Conn c : conns) {
            c.wanted = false;
        }
        pending.clear();
        for (Conn c : conns) {
            Channel ch = c.ch;
            if (ch != null) {
                ch.close();
            }
        }
        long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
        while (open.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private String latStop(Path file) throws IOException {
        int[] copy;
        int[] at;
        long start;
        synchronized (latLock) {
            recording = false;
            copy = Arrays.copyOf(lat, latN);
            at = Arrays.copyOf(latAt, latN);
            start = latStartMs;
        }
        // pairs (receive time in ms since the epoch − start, latency in µs); start first
        try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            o.writeLong(start);
            for (int i = 0; i < copy.length; i++) {
                o.writeInt(at[i]);
                o.writeInt(copy[i]);
            }
        }
        return "n=" + copy.length + " file=" + file;
    }

    private String stats() {
        return "up=" + up.get() + " open=" + open.get() + " received=" + received.sum() + " acks=" + acks.sum()
                + " keepalives=" + keepalives.sum() + " duplicates=" + duplicates.sum() + " malformed="
                + malformed.sum() + " serverCloses=" + serverCloses.sum() + " attempts=" + attempts.sum()
                + " failed=" + failedAttempts.sum() + " boundEngines=" + keys.bound() + " rssKiB=" + rssKiB("self")
                + " lastFailure=" + quote(lastFailure);
    }

    static long rssKiB(String pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // process gone
        }
        return -1;
    }

    private static String quote(String s) {
        return "\"" + s.replace('"', '\'').replace('\n', ' ') + "\"";
    }

    private void shutdown() {
        for (Conn c : conns) {
            c.wanted = false;
        }
        pending.clear();
        for (Conn c : conns) {
            Channel ch = c.ch;
            if (ch != null) {
                ch.close();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10_000);
    }

    private void reply(String cmd, String body) {
        synchronized (out) {
            out.println("RESULT " + cmd + " " + body);
            out.flush();
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = Bench.parseArgs(args);
        long maxSeconds = Long.parseLong(a.getOrDefault("max-seconds", "3600"));
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // stray prints (libraries) must not reach the control channel
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
                System.err.println("fleet: --max-seconds " + maxSeconds + " reached, exiting");
                Runtime.getRuntime().halt(3);
            } catch (InterruptedException e) {
                // normal exit
            }
        }, "fleet-lifetime");
        killer.setDaemon(true);
        killer.start();

        long t0 = System.nanoTime();
        Fleet fleet = new Fleet(a, out);
        fleet.reply("ready", "nodes=" + fleet.conns.length + " loadMs=" + (System.nanoTime() - t0) / 1_000_000
                + " rssKiB=" + rssKiB("self"));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] w = line.trim().split("\\s+");
                switch (w[0]) {
                    case "connect" -> fleet.reply("connect", fleet.connectAll(Long.parseLong(w[1])));
                    case "storm" -> fleet.reply("storm", fleet.storm(Long.parseLong(w[1])));
                    case "lat-start" -> {
                        synchronized (fleet.latLock) {
                            fleet.latN = 0;
                            fleet.latStartMs = System.currentTimeMillis();
                            fleet.recording = true;
                        }
                        fleet.reply("lat-start", "ok");
                    }
                    case "lat-stop" -> fleet.reply("lat-stop", fleet.latStop(Path.of(w[1])));
                    case "stats" -> fleet.reply("stats", fleet.stats());
                    case "close" -> fleet.reply("close", fleet.closeAll());
                    case "quit" -> {
                        fleet.shutdown();
                        fleet.reply("quit", "ok");
                        return;
                    }
                    case "" -> {
                    }
                    default -> fleet.reply(w[0], "error=unknown-command");
                }
            }
        } finally {
            fleet.shutdown();
            killer.interrupt();
        }
    }
}
