package dev.kedge.edge.hub.internal;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;

/**
 * One mutual-TLS handshake in memory, between throw-away certificates made as the cloud makes them, with the
 * protocols and suites EdgeHub's dial uses. It loads and initialises the JDK's TLS and EC code and lets the JIT
 * compile the EC arithmetic, so that the real dial, at start level 78, does only its own work. Until then Felix
 * starts bundles on one thread; this runs on another core meanwhile.
 */
final class TlsWarmUp {
    /** Engine steps before giving up: a handshake takes about a dozen. */
    private static final int MAX_STEPS = 200;

    private TlsWarmUp() {
    }

    static void handshake() throws TlsException, GeneralSecurityException, SSLException {
        CertificateAuthority ca = CertificateAuthority.create();
        var serverKey = EcKeys.generate();
        var server = TlsContexts.server(ca.issueServerCertificate(serverKey, List.of("127.0.0.1"), 1),
                serverKey.getPrivate(), ca.certificate());
        NodeCsr csr = NodeCsr.generate("warm-up");
        SSLContext client = TlsContexts.client(ca.signClientCsr(csr.der(), "warm-up"),
                csr.keyPair().getPrivate(), ca.certificate(), false);
        SSLEngine s = server.createSSLEngine();
        s.setSSLParameters(TlsContexts.serverParameters(TlsContexts.ClientAuth.REQUIRED));
        s.setUseClientMode(false);
        SSLEngine c = client.createSSLEngine("127.0.0.1", 10000);
        c.setSSLParameters(TlsContexts.clientParameters(false));
        c.setUseClientMode(true);
        run(c, s);
    }

    /** Moves records between the two engines until both have finished the handshake. */
    private static void run(SSLEngine c, SSLEngine s) throws SSLException {
        int packet = Math.max(c.getSession().getPacketBufferSize(), s.getSession().getPacketBufferSize());
        int app = Math.max(c.getSession().getApplicationBufferSize(), s.getSession().getApplicationBufferSize());
        ByteBuffer toServer = ByteBuffer.allocate(packet * 4);
        ByteBuffer toClient = ByteBuffer.allocate(packet * 4);
        ByteBuffer sink = ByteBuffer.allocate(app);
        ByteBuffer empty = ByteBuffer.allocate(0);
        c.beginHandshake();
        s.beginHandshake();
        for (int step = 0; step < MAX_STEPS; step++) {
            if (done(c) && done(s)) {
                return;
            }
            step(c, toServer, toClient, sink, empty);
            step(s, toClient, toServer, sink, empty);
        }
        throw new SSLException("warm-up handshake did not finish in " + MAX_STEPS + " steps");
    }

    private static boolean done(SSLEngine e) {
        HandshakeStatus hs = e.getHandshakeStatus();
        return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    /** One engine's turn: runs its tasks, writes what it has to send, reads what it was sent. */
    private static void step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer sink, ByteBuffer empty)
            throws SSLException {
        Runnable task;
        while ((task = e.getDelegatedTask()) != null) {
            task.run();
        }
        if (e.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            e.wrap(empty, out);
        }
        in.flip();
        if (in.hasRemaining() && e.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            sink.clear();
            e.unwrap(in, sink);
        }
        in.compact();
    }
}
