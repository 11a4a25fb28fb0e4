package dev.kedge.core.tls.internal;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager, with a client's "HTTPS" endpoint identification done by {@link ServerIdentity} instead
 * of the JDK. Before its host name check the JDK reads the whole {@code cacerts} file (about 140 certificates) to learn
 * whether the chain ends at a public CA, whose wildcard rules are stricter; Kedge trusts its own CA only, so that read
 * is tens of milliseconds of a cold JVM's first handshake, and half a MiB of heap kept, for nothing. The chain itself
 * (path to the CA, validity, algorithms) is still the JDK's to check. Any other identification algorithm, and the
 * server side, go to the JDK unchanged.
 */
public final class HostCheckingTrustManager extends X509ExtendedTrustManager {
    private static final String HTTPS = "HTTPS";
    private final X509ExtendedTrustManager pkix;

    public HostCheckingTrustManager(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        if (socket instanceof SSLSocket ssl
                && HTTPS.equalsIgnoreCase(ssl.getSSLParameters().getEndpointIdentificationAlgorithm())) {
            pkix.checkServerTrusted(chain, authType); // without the socket: no identification by the JDK
            ServerIdentity.check(peerHost(ssl.getHandshakeSession()), chain[0]);
        } else {
            pkix.checkServerTrusted(chain, authType, socket);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        if (engine != null && HTTPS.equalsIgnoreCase(engine.getSSLParameters().getEndpointIdentificationAlgorithm())) {
            pkix.checkServerTrusted(chain, authType);
            ServerIdentity.check(peerHost(engine.getHandshakeSession()), chain[0]);
        } else {
            pkix.checkServerTrusted(chain, authType, engine);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        pkix.checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        pkix.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return pkix.getAcceptedIssuers();
    }

    private static String peerHost(SSLSession handshake) {
        return handshake == null ? null : handshake.getPeerHost();
    }
}
