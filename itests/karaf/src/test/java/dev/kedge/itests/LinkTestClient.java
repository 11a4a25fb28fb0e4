package dev.kedge.itests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;

/** A hand-driven edge for negative tests: fetches certificates and opens WebSockets the way an attacker might. */
final class LinkTestClient {
    static final String PROJECT = "e632aba927ea4ac2b575ec1603d56f10";

    private LinkTestClient() {
    }

    /** GET /ca.crt without verifying the server, as KubeEdge's first contact does. */
    static X509Certificate fetchCa(int httpsPort) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/ca.crt"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("/ca.crt answered " + r.statusCode());
        }
        return Pem.certificateFromDer(r.body());
    }

    /** GET /edge.crt with the CSR (DER) as body; returns the HTTP response (200 = DER certificate). */
    static HttpResponse<byte[]> requestCertificate(int httpsPort, X509Certificate ca, String node, NodeCsr csr,
            String bearer) throws Exception {
        return requestCertificate(httpsPort, ca, node, csr.der(), bearer);
    }

    static HttpResponse<byte[]> requestCertificate(int httpsPort, X509Certificate ca, String node, byte[] csrDer,
            String bearer) throws Exception {
        SSLContext ctx = TlsContexts.client(null, null, ca);
        HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + httpsPort + "/edge.crt"))
                .timeout(Duration.ofSeconds(10)).header("NodeName", node)
                .method("GET", HttpRequest.BodyPublishers.ofByteArray(csrDer));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Opens the edge WebSocket with {@code node_id} = node; the future fails if the cloud refuses. */
    static Socket connect(int wsPort, String node, SSLContext ctx) throws Exception {
        Socket s = new Socket();
        HttpClient http = HttpClient.newBuilder().sslContext(ctx).connectTimeout(Duration.ofSeconds(5)).build();
        s.ws = http.newWebSocketBuilder().header("node_id", node).header("project_id", PROJECT)
                .header("ConnectionUse", "msg").connectTimeout(Duration.ofSeconds(10))
                .buildAsync(URI.create("wss://127.0.0.1:" + wsPort + "/" + PROJECT + "/" + node + "/events"), s)
                .get(15, TimeUnit.SECONDS);
        return s;
    }

    /** Records what the cloud sends; {@link #closed} completes when the cloud closes. */
    static final class Socket implements WebSocket.Listener {
        WebSocket ws;
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>(10_000);
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.offer(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
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
        return ctx;
    }
}
