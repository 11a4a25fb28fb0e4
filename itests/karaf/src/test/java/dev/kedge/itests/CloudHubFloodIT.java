package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.Test;

/**
 * Strangers flood CloudHub's WebSocket port on loopback while a real edge is connected: 10,000 idle TCP connections
 * and 1,000 TLS handshakes stalled after the ClientHello (no client certificate), from 15 source addresses. The
 * connected edge stays connected, a new edge joins and connects in its normal time, the refusals and deadline cuts
 * are counted in /metrics, and the cloud's descriptors and threads come back to their baseline on their own (the
 * flood's sockets stay open on the test's side until the end). Figures are printed as {@code FLOOD ...} lines.
 * The test JVM holds up to 11,000 sockets: within the machine's 20,000 descriptors, no ulimit change.
 */
public class CloudHubFloodIT {
    private static final String PASSWORD = "flood-itest-pw";
    private static final int IDLE = 10_000;
    private static final int STALLED_TLS = 1_000;
    private static final int IDLE_SOURCES = 10; // 127.0.0.2 .. 127.0.0.11
    private static final int TLS_SOURCES = 5; // 127.0.0.12 .. 127.0.0.16
    private static final long HANDSHAKE_DEADLINE_MS = 5000; // CloudHub's default handshakeTimeoutMs
    private static final long BASELINE_WAIT_MS = HANDSHAKE_DEADLINE_MS + 20_000; // + Jetty's idle-thread period, slack
    private static final int FD_SLACK = 16; // the new edge's connection, API server connections, log files
    private static final int THREAD_SLACK = 12; // the new node's session and sender work, HTTP client threads

    @Test
    public void floodLeavesEdgesConnectedAndTheCloudReturnsToBaseline() throws Exception {
        JoinedPair pair = JoinedPair.unpack("flood", PASSWORD);
        KedgeProcess edge2 = pair.unpackEdge("edge2");
        List<Socket> flood = new ArrayList<>(IDLE + STALLED_TLS);
        try {
            long joinStart = System.nanoTime();
            pair.startAndJoin("flood-edge-1");
            long firstJoinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - joinStart);
            edge2.start();
            edge2.awaitConsole("kedge", PASSWORD, "edgehub:status", "NOT_JOINED", 120);
            long normalJoinMs = timeJoin(pair, edge2, "flood-edge-2-warmup");
            // edge2 joined once to learn the normal time; it rejoins under the flood as a new node name
            edge2.close();

            long cloudPid = pair.cloud.pid(5);
            Thread.sleep(5000); // let the joins' work settle
            int baseFds = fds(cloudPid);
            int baseThreads = threads(cloudPid);
            double reconnectsBefore = edgeMetric(pair.edgeMonitorPort, "kedge_edgehub_reconnects_total");
            System.out.printf("FLOOD baseline: cloud pid %d, %d descriptors, %d threads; first join %d ms, normal "
                    + "join %d ms%n", cloudPid, baseFds, baseThreads, firstJoinMs, normalJoinMs);

            // the new edge is up and not joined yet: it joins while the flood goes on
            edge2 = pair.unpackEdge("edge3");
            edge2.start();
            edge2.awaitConsole("kedge", PASSWORD, "edgehub:status", "NOT_JOINED", 120);

            Peak peak = new Peak(cloudPid, baseFds + FD_SLACK, baseThreads + THREAD_SLACK);
            peak.start();
            long t0 = System.nanoTime();
            int idleOpened = openIdle(pair.wsPort, flood, IDLE);
            byte[] hello = clientHello();
            int tlsOpened = openStalledTls(pair.wsPort, hello, flood, STALLED_TLS);
            long burstMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            System.out.printf("FLOOD burst: %d idle TCP connections and %d stalled TLS handshakes (ClientHello of %d "
                    + "bytes, then silence) in %d ms; %d connects failed on the client side%n", idleOpened, tlsOpened,
                    hello.length, burstMs, IDLE + STALLED_TLS - idleOpened - tlsOpened);

            // the attack goes on while the new edge joins: fresh strangers keep every per-address slot taken
            Sustain sustain = new Sustain(pair.wsPort, hello, flood);
            sustain.start();
            long floodJoinMs;
            try {
                floodJoinMs = timeJoin(pair, edge2, "flood-edge-3");
            } finally {
                sustain.stop();
            }
            long floodEnd = System.nanoTime();
            int attempts = IDLE + STALLED_TLS + sustain.attempts;
            System.out.printf("FLOOD new edge joined and connected in %d ms under the flood (normal %d ms); %d more "
                    + "stranger connections meanwhile%n", floodJoinMs, normalJoinMs, sustain.attempts);

            long settled = peak.awaitSettled(floodEnd, BASELINE_WAIT_MS);
            peak.stop();
            String metrics = MonitorHttp.get(pair.cloudMonitorPort, "/metrics").body();
            double perAddress = MonitorHttp.sample(metrics, "kedge_cloudhub_ws_refused_per_address_total");
            double overLimit = MonitorHttp.sample(metrics, "kedge_cloudhub_ws_refused_over_limit_total");
            double cut = MonitorHttp.sample(metrics, "kedge_cloudhub_ws_closed_at_deadline_total");
            double pending = MonitorHttp.sample(metrics, "kedge_cloudhub_ws_pending_connections");
            System.out.printf("FLOOD peak: %d descriptors, %d threads (baseline %d, %d)%n", peak.fds.get(),
                    peak.threads.get(), baseFds, baseThreads);
            System.out.printf("FLOOD back to baseline (<= %d descriptors, <= %d threads) %d ms after the last "
                    + "stranger connected; now %d descriptors, %d threads, %.0f pending; the test still holds its "
                    + "%d sockets%n", baseFds + FD_SLACK, baseThreads + THREAD_SLACK, settled, fds(cloudPid),
                    threads(cloudPid), pending, flood.size());
            System.out.printf("FLOOD counted: refused per address %.0f, refused over the total %.0f, cut at the "
                    + "deadline %.0f (sum %.0f of %d attempts)%n", perAddress, overLimit, cut,
                    perAddress + overLimit + cut, attempts);

            double reconnectsAfter = edgeMetric(pair.edgeMonitorPort, "kedge_edgehub_reconnects_total");
            assertEquals("the connected edge never lost its link", reconnectsBefore, reconnectsAfter, 0);
            assertTrue(pair.edge.client("kedge", PASSWORD, "edgehub:status").output().contains("CONNECTED"));
            assertTrue("new edge within its normal time: " + floodJoinMs + " ms vs " + normalJoinMs + " ms",
                    floodJoinMs <= Math.max(3 * normalJoinMs, normalJoinMs + 10_000));
            assertTrue("descriptors and threads back within " + BASELINE_WAIT_MS + " ms", settled <= BASELINE_WAIT_MS);
            assertTrue("every stranger that reached the cloud refused or cut: " + (perAddress + overLimit + cut)
                    + " of " + attempts, perAddress + overLimit + cut >= idleOpened + tlsOpened
                    && perAddress + overLimit + cut <= attempts);
            assertTrue(perAddress > 0 && cut > 0);
            assertEquals(0, pending, 0);
            assertTrue("peak descriptors stayed far below the flood", peak.fds.get() < baseFds + 2000);
        } finally {
            for (Socket s : flood) {
                closeQuietly(s);
            }
            edge2.close();
            pair.edge.close();
            pair.cloud.close();
        }
    }

    private static long timeJoin(JoinedPair pair, KedgeProcess edge, String node) throws Exception {
        long t0 = System.nanoTime();
        pair.join(edge, node);
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private static int openIdle(int port, List<Socket> into, int count) {
        int opened = 0;
        for (int i = 0; i < count; i++) {
            if (connect("127.0.0." + (2 + i % IDLE_SOURCES), port, into) != null) {
                opened++;
            }
        }
        return opened;
    }

    private static int openStalledTls(int port, byte[] hello, List<Socket> into, int count) {
        int opened = 0;
        for (int i = 0; i < count; i++) {
            Socket s = connect("127.0.0." + (2 + IDLE_SOURCES + i % TLS_SOURCES), port, into);
            if (s == null) {
                continue;
            }
            opened++;
            try {
                s.getOutputStream().write(hello); // and never another byte
            } catch (IOException refused) {
                // already reset by the server: refused, as intended
            }
        }
        return opened;
    }

    private static Socket connect(String from, int port, List<Socket> into) {
        Socket s = new Socket();
        into.add(s);
        try {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return s;
        } catch (IOException e) {
            return null;
        }
    }

    /** A real TLS 1.3/1.2 ClientHello from the JDK's engine, offering no client certificate later. */
    private static byte[] clientHello() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLEngine engine = context.createSSLEngine("127.0.0.1", 10000);
        engine.setUseClientMode(true);
        engine.beginHandshake();
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        return bytes;
    }

    private static double edgeMetric(int port, String name) throws IOException {
        return MonitorHttp.sample(MonitorHttp.get(port, "/metrics").body(), name);
    }

    static int fds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "fd"))) {
            return (int) s.count();
        }
    }

    static int threads(long pid) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            return (int) s.count();
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /**
     * Samples the cloud's descriptors and threads every 100 ms until stopped (at most 5 minutes): the peaks, and when
     * a sample was last above the baseline.
     */
    private static final class Peak {
        final AtomicInteger fds = new AtomicInteger();
        final AtomicInteger threads = new AtomicInteger();
        private final long pid;
        private final int fdLimit;
        private final int threadLimit;
        private final Thread sampler;
        private volatile boolean stop;
        private volatile long lastAbove = System.nanoTime();
        private volatile long lastSample;

        Peak(long pid, int fdLimit, int threadLimit) {
            this.pid = pid;
            this.fdLimit = fdLimit;
            this.threadLimit = threadLimit;
            this.sampler = new Thread(this::run, "flood-sampler");
            sampler.setDaemon(true);
        }

        void start() {
            sampler.start();
        }

        /**
         * Waits until the samples have stayed at or below the baseline for 3 s, at most {@code maxMs} after
         * {@code since}; returns how long after {@code since} they were last above it (MAX_VALUE if never settled).
         */
        long awaitSettled(long since, long maxMs) throws InterruptedException {
            long end = since + TimeUnit.MILLISECONDS.toNanos(maxMs + 3000);
            while (System.nanoTime() < end) {
                long above = lastAbove;
                if (lastSample - above > TimeUnit.SECONDS.toNanos(3)) {
                    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(above - since));
                }
                Thread.sleep(100);
            }
            return Long.MAX_VALUE;
        }

        void stop() throws InterruptedException {
            stop = true;
            sampler.join(5000);
        }

        private void run() {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!stop && System.nanoTime() < end) {
                try {
                    int f = fds(pid);
                    int t = threads(pid);
                    fds.accumulateAndGet(f, Math::max);
                    threads.accumulateAndGet(t, Math::max);
                    long now = System.nanoTime();
                    if (f > fdLimit || t > threadLimit) {
                        lastAbove = now;
                    }
                    lastSample = now;
                    Thread.sleep(100);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }
    }

    /**
     * Keeps the attack up while the new edge joins: every 500 ms 200 more idle connections and 20 more stalled
     * handshakes from the flood's addresses, for at most 2 minutes or 20,000 connections; sockets stay open.
     */
    private static final class Sustain {
        volatile int attempts;
        private final int port;
        private final byte[] hello;
        private final List<Socket> into;
        private final Thread thread;
        private volatile boolean stop;

        Sustain(int port, byte[] hello, List<Socket> into) {
            this.port = port;
            this.hello = hello;
            this.into = into;
            this.thread = new Thread(this::run, "flood-sustain");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            stop = true;
            thread.join(10_000);
        }

        private void run() {
            long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            // the test's own descriptors: the burst's 11,000 + these stay below the 20,000 limit
            while (!stop && System.nanoTime() < end && attempts < 5_500) {
                synchronized (into) {
                    openIdle(port, into, 200);
                    openStalledTls(port, hello, into, 20);
                }
                attempts += 220;
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }
}
