package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.TlsContexts;

/**
 * A small CloudHub for tests, on loopback: HTTPS with {@code /ca.crt} and {@code /edge.crt} (core's TLS code acts
 * as the CA, as CloudHub does) and a Jetty WebSocket server demanding a client certificate. Each WebSocket
 * connection is an {@link Edge} that records frames and can be told to stop reading ("black hole").
 */
public final class TestCloud implements AutoCloseable {
    final CertificateAuthority ca;
    final List<Map<String, String>> certRequests = new CopyOnWriteArrayList<>();
    final BlockingQueue<Edge> connections = new LinkedBlockingQueue<>();
    private final HttpsServer https;
    private final Server jetty;
    private final ServerConnector wss;

    /** @param sans the names CloudHub's server certificate is issued for */
    TestCloud(List<String> sans) throws Exception {
        ca = CertificateAuthority.create();
        KeyPair serverKey = EcKeys.generate();
        X509Certificate serverCert = ca.issueServerCertificate(serverKey, sans, 30);

        SSLContext httpsTls = TlsContexts.server(serverCert, serverKey.getPrivate(), ca.certificate(),
                TlsContexts.ClientAuth.OPTIONAL);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(httpsTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters p = TlsContexts.serverParameters(TlsContexts.ClientAuth.OPTIONAL);
                params.setSSLParameters(p);
            }
        });
        https.createContext("/ca.crt", ex -> reply(ex, 200, ca.caDer()));
        https.createContext("/edge.crt", this::signEdgeCert);
        https.start();

        jetty = new Server();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(TlsContexts.server(serverCert, serverKey.getPrivate(), ca.certificate()));
        ssl.setNeedClientAuth(true);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        wss = new ServerConnector(jetty, ssl, new HttpConnectionFactory(http));
        wss.setHost("127.0.0.1");
        wss.setPort(0);
        jetty.addConnector(wss);
        jetty.setHandler(WebSocketUpgradeHandler.from(jetty, container -> {
            container.setIdleTimeout(Duration.ofMinutes(5));
            container.addMapping("/*", (rq, rs, cb) -> {
                EndPoint.SslSessionData tls = (EndPoint.SslSessionData) rq.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                X509Certificate[] peer = tls == null ? null : tls.peerCertificates();
                Edge edge = new Edge(rq.getHttpURI().getPath(), rq.getHeaders().get("node_id"),
                        rq.getHeaders().get("project_id"), rq.getHeaders().get("ConnectionUse"),
                        peer == null || peer.length == 0 ? "" : peer[0].getSubjectX500Principal().getName());
                connections.add(edge);
                return edge;
            });
        }));
        jetty.start();
    }

    String server() {
        return "127.0.0.1:" + wss.getLocalPort();
    }

    String httpServer() {
        return "https://127.0.0.1:" + https.getAddress().getPort();
    }

    String token() throws Exception {
        return JoinToken.create(ca, Duration.ofHours(1), Clock.systemUTC());
    }

    private void signEdgeCert(HttpExchange ex) throws IOException {
        String node = ex.getRequestHeaders().getFirst("NodeName");
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] csr;
        try (InputStream in = ex.getRequestBody()) {
            csr = in.readAllBytes();
        }
        certRequests.add(Map.of("method", ex.getRequestMethod(), "NodeName", String.valueOf(node),
                "Authorization", String.valueOf(auth)));
        String jwt = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
        JoinToken.Verification v = JoinToken.verify(jwt, ca.caKeyDer(), Clock.systemUTC());
        if (!v.ok()) {
            reply(ex, 401, v.message().getBytes());
            return;
        }
        try {
            reply(ex, 200, ca.signClientCsr(csr, node).getEncoded());
        } catch (Exception e) {
            reply(ex, 400, e.getMessage().getBytes());
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    @Override
    public void close() throws Exception {
        https.stop(0);
        jetty.stop();
    }

    /** One edge connection as the cloud sees it. Demands frames one at a time, so it can stop reading at will. */
    public static final class Edge implements Session.Listener {
        final String path;
        final String nodeId;
        final String projectId;
        final String connectionUse;
        final String peerSubject;
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private volatile Session session;
        private volatile boolean blackHole;

        Edge(String path, String nodeId, String projectId, String connectionUse, String peerSubject) {
            this.path = path;
            this.nodeId = nodeId;
            this.projectId = projectId;
            this.connectionUse = connectionUse;
            this.peerSubject = peerSubject;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            s.demand();
        }

        @Override
        public void onWebSocketText(String text) {
            frames.add(text);
            next();
        }

        @Override
        public void onWebSocketPing(ByteBuffer payload) {
            session.sendPong(payload, Callback.NOOP);
            next();
        }

        /** Stops reading: pings go unanswered, frames pile up in the socket; a half-open link as the edge sees it. */
        void blackHole() {
            blackHole = true;
        }

        void send(String json) {
            session.sendText(json, Callback.NOOP);
        }

        String nextFrame(Duration wait) throws InterruptedException {
            return frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void next() {
            if (!blackHole) {
                session.demand();
            }
        }
    }
}
