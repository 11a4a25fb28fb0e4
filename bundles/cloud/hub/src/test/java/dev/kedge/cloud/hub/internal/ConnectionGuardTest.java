package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.TlsContexts;

/** A real Jetty TLS connector on loopback with a small guard: idle strangers are refused or cut, and counted. */
class ConnectionGuardTest {
    private static final int MAX_PENDING = 12;
    private static final int PER_ADDRESS = 4;
    private static final Duration DEADLINE = Duration.ofMillis(600);

    private Server server;
    private ConnectionGuard guard;
    private final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create();
        KeyPair key = EcKeys.generate();
        var cert = ca.issueServerCertificate(key, List.of("127.0.0.1"), 1);
        server = JettyServers.tls("test", "127.0.0.1", 0, TlsContexts.server(cert, key.getPrivate(), ca.certificate()),
                true, Duration.ofSeconds(60), 16, s -> guard = new ConnectionGuard(ConnectionGuard.Until.UPGRADE,
                        DEADLINE, MAX_PENDING, PER_ADDRESS, s::getScheduler));
        JettyServers.start(server, new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                callback.succeeded();
                return true;
            }
        });
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

    private void connect(String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(new InetSocketAddress("127.0.0.1", JettyServers.port(server)), 2000);
    }

    private int closedByServer() throws IOException {
        int closed = 0;
        for (Socket s : sockets) {
            s.setSoTimeout(3000);
            try {
                if (s.getInputStream().read() == -1) {
                    closed++;
                }
            } catch (SocketException e) {
                closed++; // reset
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
