package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real handshakes on loopback between contexts built by {@link TlsContexts}; every wait is bounded. */
@Timeout(120)
class TlsHandshakeTest {
    private static final int IO_TIMEOUT_MS = 10_000;

    /** What one side saw: the session facts, or the exception that ended it. */
    record Side(String protocol, String suite, String peer, Exception error) {
        boolean ok() {
            return error == null;
        }
    }

    private static ExecutorService pool;
    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;
    private static KeyPair serverKey;
    private static X509Certificate serverCert;
    private static NodeCsr node;
    private static X509Certificate nodeCert;

    @BeforeAll
    static void material() throws Exception {
        pool = Executors.newCachedThreadPool();
        ca = CertificateAuthority.create();
        otherCa = CertificateAuthority.create();
        serverKey = EcKeys.generate();
        serverCert = ca.issueServerCertificate(serverKey, List.of("127.0.0.1", "localhost"), 30);
        node = NodeCsr.generate("n1");
        nodeCert = ca.signClientCsr(node.der(), "n1");
    }

    @AfterAll
    static void stop() throws InterruptedException {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }

    private static SSLContext server() throws TlsException {
        return TlsContexts.server(serverCert, serverKey.getPrivate(), ca.certificate());
    }

    private static SSLContext nodeClient() throws TlsException {
        return TlsContexts.client(nodeCert, node.keyPair().getPrivate(), ca.certificate());
    }

    @Test
    void mutualTlsSucceedsAndServerSeesTheNode() throws Exception {
        Side[] r = handshake(server(), nodeClient(), null);
        assertTrue(r[0].ok(), () -> "server: " + r[0].error());
        assertTrue(r[1].ok(), () -> "client: " + r[1].error());
        assertEquals("CN=system:node:n1,O=system:nodes", r[0].peer());
        assertEquals("CN=KubeEdge,O=KubeEdge", r[1].peer());
        assertEquals("TLSv1.3", r[0].protocol());
        assertEquals("TLSv1.3", r[1].protocol());
        assertTrue(TlsContexts.CIPHER_SUITES.contains(r[0].suite()), r[0].suite());
    }

    @Test
    void tls12NegotiatesAnEcdheEcdsaAeadSuite() throws Exception {
        Side[] r = handshake(server(), nodeClient(), s -> s.setEnabledProtocols(new String[] {"TLSv1.2"}));
        assertTrue(r[0].ok() && r[1].ok(), () -> r[0].error() + " / " + r[1].error());
        assertEquals("TLSv1.2", r[1].protocol());
        assertTrue(r[1].suite().startsWith("TLS_ECDHE_ECDSA_WITH_")
                && (r[1].suite().contains("_GCM_") || r[1].suite().contains("CHACHA20")), r[1].suite());
    }

    @Test
    void cbcSuiteIsNotOffered() throws Exception {
        // the JDK would negotiate this suite with an EC certificate; only our restriction rules it out
        Side[] r = handshake(server(), nodeClient(), s -> {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
        });
        assertInstanceOf(SSLHandshakeException.class, r[0].error());
        assertFalse(r[1].ok());
    }

    @Test
    void clientWithoutCertificateIsRefused() throws Exception {
        Side[] r = handshake(server(), TlsContexts.client(null, null, ca.certificate()), null);
        assertInstanceOf(SSLHandshakeException.class, r[0].error());
        assertFalse(r[1].ok()); // in TLS 1.3 the client learns it on its first read
    }

    @Test
    void clientCertificateFromAnotherCaIsRefused() throws Exception {
        X509Certificate foreign = otherCa.signClientCsr(node.der(), "n1");
        Side[] r = handshake(server(), TlsContexts.client(foreign, node.keyPair().getPrivate(), ca.certificate()), null);
        assertInstanceOf(SSLHandshakeException.class, r[0].error());
        assertFalse(r[1].ok());
    }

    @Test
    void clientRefusesServerFromAnotherCa() throws Exception {
        KeyPair k = EcKeys.generate();
        X509Certificate impostor = otherCa.issueServerCertificate(k, List.of("127.0.0.1"), 30);
        Side[] r = handshake(TlsContexts.server(impostor, k.getPrivate(), ca.certificate()), nodeClient(), null);
        assertInstanceOf(SSLHandshakeException.class, r[1].error());
        assertFalse(r[0].ok());
    }

    @Test
    void clientChecksTheServerNameUnlessToldNotTo() throws Exception {
        KeyPair k = EcKeys.generate();
        X509Certificate elsewhere = ca.issueServerCertificate(k, List.of("10.9.8.7"), 30);
        SSLContext srv = TlsContexts.server(elsewhere, k.getPrivate(), ca.certificate());
        Side[] r = handshake(srv, nodeClient(), null);
        assertInstanceOf(SSLHandshakeException.class, r[1].error());

        SSLContext lax = TlsContexts.client(nodeCert, node.keyPair().getPrivate(), ca.certificate(), false);
        Side[] r2 = handshake(srv, lax, null);
        assertTrue(r2[0].ok() && r2[1].ok(), () -> r2[0].error() + " / " + r2[1].error());
    }

    @Test
    void serverWithoutClientAuthServesClientsTrustingItsCaAndRefusesAForeignKey() throws Exception {
        SSLContext srv = TlsContexts.serverWithoutClientAuth(List.of(serverCert, ca.certificate()),
                serverKey.getPrivate());
        Side[] r = handshake(srv, TlsContexts.client(null, null, ca.certificate()), null);
        assertTrue(r[0].ok() && r[1].ok(), () -> r[0].error() + " / " + r[1].error());
        assertNull(r[0].peer());
        assertEquals("CN=KubeEdge,O=KubeEdge", r[1].peer());
        Side[] untrusting = handshake(srv, TlsContexts.client(null, null, otherCa.certificate()), null);
        assertInstanceOf(SSLHandshakeException.class, untrusting[1].error());

        KeyPair other = EcKeys.generate();
        TlsException e = assertThrows(TlsException.class,
                () -> TlsContexts.serverWithoutClientAuth(List.of(serverCert), other.getPrivate()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    @Test
    void optionalClientAuthLetsTokenUsersIn() throws Exception {
        SSLContext srv = TlsContexts.server(serverCert, serverKey.getPrivate(), ca.certificate(),
                TlsContexts.ClientAuth.OPTIONAL);
        Side[] anonymous = handshake(srv, TlsContexts.client(null, null, ca.certificate()), null);
        assertTrue(anonymous[0].ok() && anonymous[1].ok(), () -> anonymous[0].error() + " / " + anonymous[1].error());
        assertNull(anonymous[0].peer());
        Side[] withCert = handshake(srv, nodeClient(), null);
        assertEquals("CN=system:node:n1,O=system:nodes", withCert[0].peer());
    }

    @Test
    void socketsAndEnginesStartLockedDown() throws Exception {
        SSLContext srv = server();
        try (SSLServerSocket ss = (SSLServerSocket) srv.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            assertTrue(ss.getNeedClientAuth());
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, ss.getEnabledProtocols());
        }
        SSLEngine engine = srv.createSSLEngine();
        engine.setUseClientMode(false);
        assertTrue(engine.getNeedClientAuth());
        assertEquals(TlsContexts.CIPHER_SUITES, List.of(engine.getEnabledCipherSuites()));
        SSLEngine clientEngine = nodeClient().createSSLEngine("127.0.0.1", 10000);
        assertEquals("HTTPS", clientEngine.getSSLParameters().getEndpointIdentificationAlgorithm());
    }

    @Test
    void mismatchedKeyIsRefusedUpFront() {
        TlsException e = org.junit.jupiter.api.Assertions.assertThrows(TlsException.class,
                () -> TlsContexts.client(nodeCert, serverKey.getPrivate(), ca.certificate()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    }

    interface ClientTweak {
        void apply(SSLSocket s);
    }

    /** One connection: server accepts, handshakes, echoes a byte; client handshakes, writes, reads. */
    private static Side[] handshake(SSLContext server, SSLContext client, ClientTweak tweak) throws Exception {
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getByName("127.0.0.1"))) {
            ss.setSoTimeout(IO_TIMEOUT_MS);
            Future<Side> serverSide = pool.submit(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.setSoTimeout(IO_TIMEOUT_MS);
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b);
                    s.getOutputStream().flush();
                    return side(s);
                } catch (Exception e) {
                    return new Side(null, null, null, e);
                }
            });
            Side clientSide;
            try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket()) {
                if (tweak != null) {
                    tweak.apply(s);
                }
                s.connect(new InetSocketAddress("127.0.0.1", ss.getLocalPort()), IO_TIMEOUT_MS);
                s.setSoTimeout(IO_TIMEOUT_MS);
                s.startHandshake();
                s.getOutputStream().write(42);
                s.getOutputStream().flush();
                int echoed = s.getInputStream().read();
                clientSide = echoed == 42 ? side(s) : new Side(null, null, null, new SSLException("no echo: " + echoed));
            } catch (IOException e) {
                clientSide = new Side(null, null, null, e);
            }
            Side srv = serverSide.get(2L * IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new Side[] {srv, clientSide};
        }
    }

    private static Side side(SSLSocket s) {
        String peer;
        try {
            peer = s.getSession().getPeerPrincipal().getName();
        } catch (SSLPeerUnverifiedException e) {
            peer = null;
        }
        assertNotNull(s.getSession().getProtocol());
        return new Side(s.getSession().getProtocol(), s.getSession().getCipherSuite(), peer, null);
    }
}
