package dev.kedge.itests;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;

/**
 * A test client that speaks to a cloud as a KubeEdge v1.15 edgecore does (edgehub's certmanager and WebSocket client,
 * MetaManager's frames): the token's CA pin, a P-256 CSR with v1.15's fixed subject {@code CN=kubeedge.io,
 * O=kubeEdge} made by the openssl CLI, {@code /edge.crt} with {@code Authorization: Bearer} and {@code NodeName}, the
 * WebSocket with {@code node_id}/{@code project_id}, requests as MetaManager forwards edged's (route edged/meta, sync),
 * acks of what the cloud sends (source metaManager, content "OK"), keepalives. Not a mock of our edge: it is written
 * from KubeEdge's sources, not from Kedge's.
 */
final class KubeEdgeEdge implements AutoCloseable {
    static final String V115_SUBJECT = "/C=CN/O=kubeEdge/L=Hangzhou/ST=Zhejiang/CN=kubeedge.io";
    private static final ObjectMapper JSON = new ObjectMapper();

    final String node;
    final X509Certificate certificate;
    private final javax.net.ssl.SSLContext tls;
    /** Replaced by {@link #reconnect}: edgehub dials again with the same certificate when its link drops. */
    private volatile LinkTestClient.Socket socket;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** What the cloud sent that is not an answer, in arrival order. */
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubeedge-edge-test");
        t.setDaemon(true);
        return t;
    });

    private KubeEdgeEdge(String node, X509Certificate certificate, javax.net.ssl.SSLContext tls,
            LinkTestClient.Socket socket) {
        this.node = node;
        this.certificate = certificate;
        this.tls = tls;
        this.socket = socket;
        timers.scheduleWithFixedDelay(this::drain, 0, 20, TimeUnit.MILLISECONDS);
        // edgehub's heartbeat (v1.15 default 15 s)
        timers.scheduleWithFixedDelay(this::keepalive, 5, 5, TimeUnit.SECONDS);
    }

    /** certmanager.go then wsclient: the certificate for {@code node} with the join token, then the link. */
    static KubeEdgeEdge join(int httpsPort, int wsPort, String token, String node, Path dir) throws Exception {
        String[] parts = token.trim().split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("a KubeEdge token has 4 parts: <ca hash>.<jwt>, got " + token);
        }
        X509Certificate ca = LinkTestClient.fetchCa(httpsPort);
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(ca.getEncoded()));
        if (!hash.equals(parts[0])) {
            throw new IllegalStateException("the CA's hash " + hash + " is not the token's " + parts[0]);
        }
        Files.createDirectories(dir);
        Path key = dir.resolve("edge.key");
        Path csr = dir.resolve("edge.csr.der");
        openssl(dir, "ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", key.toString());
        openssl(dir, "req", "-new", "-key", key.toString(), "-subj", V115_SUBJECT, "-outform", "DER", "-out",
                csr.toString());
        HttpResponse<byte[]> answer = LinkTestClient.requestCertificate(httpsPort, ca, node, Files.readAllBytes(csr),
                parts[1] + "." + parts[2] + "." + parts[3]);
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("/edge.crt answered " + answer.statusCode() + ": "
                    + new String(answer.body(), StandardCharsets.UTF_8));
        }
        X509Certificate cert = Pem.certificateFromDer(answer.body());
        PrivateKey privateKey = Pem.parsePrivateKey(Files.readString(key));
        javax.net.ssl.SSLContext tls = TlsContexts.client(cert, privateKey, ca);
        LinkTestClient.Socket socket = LinkTestClient.connect(wsPort, node, tls);
        return new KubeEdgeEdge(node, cert, tls, socket);
    }

    /** A new link to {@code wsPort} with the certificate it has (edgehub's reconnect); what was received stays. */
    void reconnect(int wsPort) throws Exception {
        LinkTestClient.Socket old = socket;
        socket = LinkTestClient.connect(wsPort, node, tls);
        old.ws.abort();
    }

    /**
     * A request as MetaManager forwards edged's: route {@code edged}/{@code meta}, resource {@code <ns>/<type>/<name>},
     * sync; returns the cloud's answer (its whole frame) within 30 s.
     */
    JsonNode request(String operation, String resource, JsonNode content) throws Exception {
        String id = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        send(frame(id, "", "edged", "meta", operation, resource, content, true));
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
    }

    /** The first frame from the cloud (not an answer) matching, within {@code seconds}. */
    JsonNode awaitReceived(Predicate<JsonNode> match, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (JsonNode f : received) {
                if (match.test(f)) {
                    return f;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no such frame from the cloud within " + seconds + " s; got " + received);
    }

    boolean open() {
        return !socket.closed.isDone();
    }

    private void drain() {
        try {
            String text;
            LinkTestClient.Socket s = socket;
            while ((text = s.texts.poll()) != null) {
                JsonNode f = JSON.readTree(text);
                String parent = f.path("header").path("parent_msg_id").asText("");
                CompletableFuture<JsonNode> waiting = parent.isEmpty() ? null : pending.get(parent);
                if (waiting != null) {
                    waiting.complete(f);
                    continue;
                }
                received.add(f);
                if (!"response".equals(f.path("route").path("operation").asText())) {
                    // MetaManager's NewRespByMessage(msg, "OK") after it stored the object: the cloud's ack
                    JsonNode route = f.path("route");
                    send(frame(UUID.randomUUID().toString(), f.path("header").path("msg_id").asText(), "metaManager",
                            route.path("group").asText(), "response", route.path("resource").asText(),
                            JSON.getNodeFactory().textNode("OK"), false));
                }
            }
        } catch (Exception e) {
            received.add(JSON.getNodeFactory().textNode("client error: " + e));
        }
    }

    private void keepalive() {
        if (open()) {
            send(frame(UUID.randomUUID().toString(), "", "websocket", "resource", "keepalive", "node",
                    JSON.getNodeFactory().textNode("ping"), false));
        }
    }

    private void send(ObjectNode frame) {
        LinkTestClient.Socket s = socket;
        synchronized (s) {
            s.ws.sendText(frame.toString(), true).join();
        }
    }

    private static ObjectNode frame(String id, String parent, String source, String group, String operation,
            String resource, JsonNode content, boolean sync) {
        ObjectNode f = JSON.createObjectNode();
        ObjectNode h = f.putObject("header");
        h.put("msg_id", id);
        h.put("parent_msg_id", parent);
        h.put("timestamp", System.currentTimeMillis());
        h.put("sync", sync);
        ObjectNode r = f.putObject("route");
        r.put("source", source);
        r.put("group", group);
        r.put("operation", operation);
        r.put("resource", resource);
        f.set("content", content);
        return f;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl " + String.join(" ", args) + ": " + out);
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
        socket.ws.abort();
    }
}
