package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.TlsContexts;

/**
 * A real Jetty TLS connector on loopback with a small guard: idle strangers are refused or cut, and counted; an edge
 * that completes mutual TLS and the upgrade stops counting and stays; the certificate port's rules.
 */
class ConnectionGuardTest {
    private static final int MAX_PENDING = 12;
    private static final int PER_ADDRESS = 4;
    // long enough for a TLS handshake and upgrade on a busy 2-core machine, short enough for a quick test
    private static final Duration DEADLINE = Duration.ofMillis(2000);

    private Server server;
    private ConnectionGuard guard;
    private final List<Socket> sockets = new ArrayList<>();

    private CertificateAuthority ca;

    @BeforeEach
    void start() throws Exception {
        ca = CertificateAuthority.create();
        start(ConnectionGuard.Until.UPGRADE, true);
    }

    /** (Re)starts the server: edge-port rules (mutual TLS, WebSocket upgrade) or certificate-port rules. */
    private void start(ConnectionGuard.Until until, boolean needClientAuth) throws Exception {
        JettyServers.stop(server);
        KeyPair key = EcKeys.generate();
        var cert = ca.issueServerCertificate(key, List.of("127.0.0.1"), 1);
        var context = TlsContexts.server(cert, key.getPrivate(), ca.certificate(),
                needClientAuth ? TlsContexts.ClientAuth.REQUIRED : TlsContexts.ClientAuth.OPTIONAL);
        server = JettyServers.tls("test", "127.0.0.1", 0, context, needClientAuth, Duration.ofSeconds(60), 16,
                s -> guard = new ConnectionGuard(until, DEADLINE, MAX_PENDING, PER_ADDRESS, s::getScheduler));
        Handler handler = until == ConnectionGuard.Until.UPGRADE
                ? WebSocketUpgradeHandler.from(server, c -> c.addMapping("/*", (rq, rs, cb) -> new Quiet()))
                : new Handler.Abstract() {
                    @Override
                    public boolean handle(Request request, Response response, Callback callback) {
                        callback.succeeded();
                        return true;
                    }
                };
        JettyServers.start(server, handler);
    }

    /** A WebSocket endpoint that says nothing (Jetty needs endpoint classes public). */
    public static final class Quiet implements Session.Listener.AutoDemanding {
    }

    @AfterEach
    void stop() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        JettyServers.stop(server);
    }

    @Test
    void idleConnectionsOverThePerAddressCapAreRefusedTheRestCutAtTheDeadline() throws Exception {
        for (int i = 0; i < PER_ADDRESS + 3; i++) {
            connect("127.0.0.2");
        }
        await(() -> guard.refusedPerAddress.sum() == 3, 3000);
        assertEquals(PER_ADDRESS, guard.pending());
        await(() -> guard.pending() == 0, DEADLINE.toMillis() + 3000);
        assertEquals(PER_ADDRESS, guard.closedAtDeadline.sum());
        assertEquals(PER_ADDRESS + 3, closedByServer(), "every stranger's connection is closed by the server");
    }

    @Test
    void theTotalCapHoldsAcrossAddresses() throws Exception {
        for (int a = 2; a < 2 + MAX_PENDING / PER_ADDRESS; a++) {
            for (int i = 0; i < PER_ADDRESS; i++) {
                connect("127.0.0." + a);
            }
        }
        await(() -> guard.pending() == MAX_PENDING, 3000);
        connect("127.0.0.50");
        await(() -> guard.refusedOverLimit.sum() == 1, 3000);
        assertEquals(0, guard.refusedPerAddress.sum());
    }

    @Test
    void anEdgeThatFinishesTlsAndTheUpgradeStopsCountingAndIsNotCut() throws Exception {
        NodeCsr csr = NodeCsr.generate("n1");
        var clientCert = ca.signClientCsr(csr.der(), "n1");
        SSLContext client = TlsContexts.client(clientCert, csr.keyPair().getPrivate(), ca.certificate());
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", JettyServers.port(server))) {
            s.startHandshake();
            s.getOutputStream().write(("GET /e632aba927ea4ac2b575ec1603d56f10/n1/events HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = readHead(s);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            await(() -> guard.pending() == 0, 3000);
            Thread.sleep(DEADLINE.toMillis() + 400);
            s.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(), "still open, quiet");
        }
        assertEquals(0, guard.closedAtDeadline.sum());
        assertEquals(0, guard.pending());
    }

    @Test
    void onTheCertificatePortAConnectionCountsUntilClosedButOnlyTlsHasTheDeadline() throws Exception {
        start(ConnectionGuard.Until.CLOSE, false);
        SSLContext trusting = TlsContexts.client(null, null, ca.certificate());
        try (SSLSocket done = (SSLSocket) trusting.getSocketFactory().createSocket("127.0.0.1",
                JettyServers.port(server))) {
            done.startHandshake();
            connect("127.0.0.1"); // and a stranger that never starts TLS
            await(() -> guard.pending() == 2, 3000);
            await(() -> guard.closedAtDeadline.sum() == 1, DEADLINE.toMillis() + 3000);
            assertEquals(1, guard.pending(), "the handshaken connection still counts");
            done.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> done.getInputStream().read(), "not cut");
        }
        await(() -> guard.pending() == 0, 3000); // released when the client closes, long before any timeout
    }

    private static String readHead(SSLSocket s) throws IOException {
        s.setSoTimeout(5000);
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n") && b.length() < 4096) {
            int c = s.getInputStream().read();
            if (c < 0) {
                break;
            }
            b.append((char) c);
        }
        return b.toString();
    }

    private void connect(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        try {
            s.connect(new InetSocketAddress("127.0.0.1", JettyServers.port(server)), 2000);
        } catch (SocketException reset) {
            // refused so fast that the reset arrived before connect returned
        }
    }

    private int closedByServer() throws IOException {
        int closed = 0;
        for (Socket s : sockets) {
            try {
                s.setSoTimeout(3000);
                if (s.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (SocketException e) {
                closed++; // reset, also while connecting (which leaves the socket closed)
            }
        }
        return closed;
    }

    private static void await(BooleanSupplier done, long maxMs) throws InterruptedException {
        long end = System.currentTimeMillis() + maxMs;
        while (!done.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < end, "condition not met within " + maxMs + " ms");
            Thread.sleep(20);
        }
    }
}
