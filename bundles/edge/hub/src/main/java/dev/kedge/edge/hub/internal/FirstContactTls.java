package dev.kedge.edge.hub.internal;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import dev.kedge.core.tls.TlsContexts;

/**
 * The one unverified TLS connection of a node's life: {@code GET /ca.crt}, before the node knows any CA. Safe only
 * because the body is then checked against the token's CA pin (KubeEdge does the same). Private to the bootstrap;
 * core's TLS API deliberately offers no trust-all context.
 */
final class FirstContactTls {

    private FirstContactTls() {
    }

    static SSLContext context() throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new AcceptAny()}, new SecureRandom());
        return ctx;
    }

    /** TLS 1.2/1.3 with CloudHub's suites, and no host name check (nothing is trusted yet anyway). */
    static SSLParameters parameters() {
        return TlsContexts.clientParameters(false);
    }

    /** Extended, so that the JDK does not wrap it in its own host name check. */
    private static final class AcceptAny extends X509ExtendedTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
