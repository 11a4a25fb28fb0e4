package dev.kedge.core.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.util.List;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.kedge.core.tls.internal.HostCheckingTrustManager;
import dev.kedge.core.tls.internal.LockedSslContext;
import dev.kedge.core.tls.internal.SingleKeyManager;

/**
 * {@link SSLContext}s for CloudHub (server) and EdgeHub (client) from in-memory certificates: each side trusts only
 * the Kedge/KubeEdge CA; TLS 1.3 and 1.2 only; for 1.2 only the ECDHE-ECDSA AEAD suites CloudHub allows
 * ({@code cloud/pkg/cloudhub/servers/server.go}). Sockets and engines created from these contexts already carry
 * these settings (and, on the server, the client-auth policy); {@link #serverParameters} and
 * {@link #clientParameters} give the same settings for frameworks that configure their own engines (Jetty).
 */
public final class TlsContexts {
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    public static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3 (all AEAD)
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2: what CloudHub's Go server accepts, which is why every key is EC
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Whether a server insists on a client certificate. */
    public enum ClientAuth {
        /** The WebSocket port 10000: no certificate, no connection. */
        REQUIRED,
        /** The HTTPS port 10002 ({@code tls.RequestClientCert}): asks, checks a presented one, lets token users in. */
        OPTIONAL
    }

    private TlsContexts() {
    }

    /** A server presenting {@code cert} and accepting only client certificates issued by {@code ca}. */
    public static SSLContext server(X509Certificate cert, PrivateKey key, X509Certificate ca) throws TlsException {
        return server(cert, key, ca, ClientAuth.REQUIRED);
    }

    public static SSLContext server(X509Certificate cert, PrivateKey key, X509Certificate ca, ClientAuth clientAuth)
            throws TlsException {
        requirePair(cert, key, "server");
        EcKeys.requireP256(cert.getPublicKey(), "server certificate key"); // the ECDSA-only suites need it
        return new LockedSslContext(context(keyManagers(cert, key), ca), () -> serverParameters(clientAuth));
    }

    /**
     * A client pinning {@code ca}, presenting {@code cert} if given (null before the edge has one, e.g. when
     * fetching {@code /edge.crt} with the join token), checking that the server certificate names the host dialled.
     */
    public static SSLContext client(X509Certificate cert, PrivateKey key, X509Certificate ca) throws TlsException {
        return client(cert, key, ca, true);
    }

    /** As {@link #client(X509Certificate, PrivateKey, X509Certificate)}; {@code verifyHostname=false} trusts the CA alone. */
    public static SSLContext client(X509Certificate cert, PrivateKey key, X509Certificate ca, boolean verifyHostname)
            throws TlsException {
        KeyManager[] kms = new KeyManager[0];
        if (cert != null || key != null) {
            requirePair(cert, key, "client");
            kms = keyManagers(cert, key);
        }
        return new LockedSslContext(context(kms, ca), () -> clientParameters(verifyHostname));
    }

    /**
     * A server presenting {@code chain} (the key's certificate first) that asks for no client certificate, with the
     * JDK's default protocols and suites: for listeners beside the cloud-edge link, such as the edge's MQTT broker.
     * EC or RSA keys. It verifies no peer, so it loads no trust anchors (not the JDK's cacerts either), and its key
     * goes into no key store (see {@link SingleKeyManager}).
     */
    public static SSLContext serverWithoutClientAuth(List<X509Certificate> chain, PrivateKey key) throws TlsException {
        if (chain.isEmpty() || key == null) {
            throw new TlsException("a TLS server needs a certificate and its private key");
        }
        requirePair(chain.get(0), key, "TLS server");
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(new KeyManager[] {new SingleKeyManager("kedge", key, chain)}, new TrustManager[0], null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot build the SSLContext: " + e.getMessage(), e);
        }
    }

    /** Protocols, suites (server order preferred) and client-auth policy of a server. */
    public static SSLParameters serverParameters(ClientAuth clientAuth) {
        SSLParameters p = base();
        p.setUseCipherSuitesOrder(true);
        if (clientAuth == ClientAuth.REQUIRED) {
            p.setNeedClientAuth(true);
        } else {
            p.setWantClientAuth(true);
        }
        return p;
    }

    /** Protocols, suites and, if asked, endpoint identification ("HTTPS": IP or DNS SAN must match the host). */
    public static SSLParameters clientParameters(boolean verifyHostname) {
        SSLParameters p = base();
        if (verifyHostname) {
            p.setEndpointIdentificationAlgorithm("HTTPS");
        }
        return p;
    }

    private static SSLParameters base() {
        SSLParameters p = new SSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setCipherSuites(CIPHER_SUITES.toArray(String[]::new));
        return p;
    }

    private static void requirePair(X509Certificate cert, PrivateKey key, String side) throws TlsException {
        if (cert == null || key == null) {
            throw new TlsException(side + " needs both a certificate and its private key");
        }
        if (!belongs(key, cert.getPublicKey())) {
            throw new TlsException(side + " private key does not belong to certificate " + cert.getSubjectX500Principal());
        }
    }

    private static boolean belongs(PrivateKey key, PublicKey pub) {
        if (key instanceof RSAKey && pub instanceof RSAKey) {
            return ((RSAKey) key).getModulus().equals(((RSAKey) pub).getModulus());
        }
        return EcKeys.matches(key, pub);
    }

    private static KeyManager[] keyManagers(X509Certificate cert, PrivateKey key) {
        return new KeyManager[] {new SingleKeyManager("kedge", key, List.of(cert))};
    }

    private static SSLContext context(KeyManager[] kms, X509Certificate ca) throws TlsException {
        if (ca == null) {
            throw new TlsException("a CA certificate to trust is required");
        }
        try {
            KeyStore trust = emptyPkcs12();
            trust.setCertificateEntry("ca", ca); // the only anchor: the JDK's cacerts play no part
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            X509ExtendedTrustManager pkix = (X509ExtendedTrustManager) tmf.getTrustManagers()[0];
            ctx.init(kms, new TrustManager[] {new HostCheckingTrustManager(pkix)}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot build the SSLContext: " + e.getMessage(), e);
        }
    }

    private static KeyStore emptyPkcs12() throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        return ks;
    }
}
