package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.TlsContexts;

/**
 * The client against a server written here frame by frame over real TLS on loopback, for what a well-behaved
 * server (Jetty, in EdgeHubLinkTest) never does: fragments with a ping between them, oversized and masked frames,
 * refused upgrades, a wrong accept key.
 */
class WebSocketClientTest {
    private SSLServerSocket server;
    private SSLContext clientTls;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final WebSocketClient.Listener recorder = new WebSocketClient.Listener() {
        @Override
        public void onText(String message) {
            events.add("text:" + message);
        }

        @Override
        public void onBinary(byte[] message) {
            events.add("binary:" + message.length);
        }

        @Override
        public void onTooLarge(long bytes, int max) {
            events.add("too large:" + bytes + ">" + max);
        }

        @Override
        public void onActivity() {
        }

        @Override
        public void onClose(int code, String reason) {
            events.add("close:" + code + " " + reason);
        }

        @Override
        public void onError(IOException e) {
            events.add("error:" + e.getMessage());
        }
    };

    @BeforeEach
    void tls() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create();
        KeyPair key = EcKeys.generate();
        SSLContext serverTls = TlsContexts.server(ca.issueServerCertificate(key, List.of("127.0.0.1"), 1),
                key.getPrivate(), ca.certificate(), TlsContexts.ClientAuth.OPTIONAL);
        server = (SSLServerSocket) serverTls.getServerSocketFactory().createServerSocket(0, 5,
                InetAddress.getLoopbackAddress());
        clientTls = TlsContexts.client(null, null, ca.certificate());
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    @Test
    void theAcceptKeyIsRfc6455s() { // the example of its section 1.3
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", WebSocketClient.acceptFor("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test
    void readsWholeMessagesAcrossFragmentsAnswersPingsAndSkipsTooLargeOnes() throws Exception {
        CompletableFuture<List<String>> seen = serve((in, out, head) -> {
            frame(out, false, 0x1, "hel".getBytes(StandardCharsets.UTF_8));
            frame(out, true, 0x9, "p1".getBytes(StandardCharsets.UTF_8)); // between two fragments, as allowed
            frame(out, true, 0x0, "lo".getBytes(StandardCharsets.UTF_8));
            Frame pong = read(in);
            frame(out, true, 0x2, new byte[] {1, 2, 3});
            frame(out, false, 0x1, new byte[12]);
            frame(out, true, 0x0, new byte[8]); // 20 bytes in all, above the bound of 16
            frame(out, true, 0x1, "ok".getBytes(StandardCharsets.UTF_8));
            frame(out, true, 0x8, new byte[] {0x03, (byte) 0xE9, 'b', 'y', 'e'}); // 1001 "bye"
            Frame closeReply = read(in);
            return List.of(head.contains("node_id: edge-1\r\n") + "", pong.opcode + ":" + pong.text(),
                    closeReply.opcode + ":" + closeReply.code());
        });
        WebSocketClient ws = connect(16);
        ws.readLoop(recorder);
        assertEquals(List.of("text:hello", "binary:3", "too large:20>16", "text:ok", "close:1001 bye"), drain());
        assertEquals(List.of("true", "10:p1", "8:1001"), seen.get(10, TimeUnit.SECONDS),
                "the upgrade's header, a pong with the ping's data, the close echoed");
        assertTrue(ws.isClosed());
    }

    @Test
    void writesMaskedFramesOfEveryLengthEncoding() throws Exception {
        String big = "x".repeat(70_000);
        CompletableFuture<List<String>> seen = serve((in, out, head) -> List.of(read(in).text(),
                read(in).text().length() + "", read(in).text().length() + ""));
        WebSocketClient ws = connect(1024);
        ws.sendText("héllo");
        ws.sendText(big.substring(0, 300));
        ws.sendText(big);
        assertEquals(List.of("héllo", "300", "70000"), seen.get(10, TimeUnit.SECONDS));
        ws.abort();
    }

    @Test
    void aWriteBlockedByAPeerThatStoppedReadingShowsItsAgeAndEndsWithAbort() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        serve((in, out, head) -> {
            release.get(30, TimeUnit.SECONDS); // reads nothing: TCP's buffers fill up
            return List.of();
        });
        WebSocketClient ws = connect(16);
        CompletableFuture<IOException> writer = CompletableFuture.supplyAsync(() -> {
            try {
                for (int i = 0; i < 10_000; i++) { // bounded: ~640 MB, far above any socket buffer
                    ws.sendText("y".repeat(64 * 1024));
                }
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ws.writingForNanos() < TimeUnit.MILLISECONDS.toNanos(300) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ws.writingForNanos() >= TimeUnit.MILLISECONDS.toNanos(300), "a write is stuck");
        ws.abort();
        assertTrue(writer.get(10, TimeUnit.SECONDS) != null, "the stuck write failed once aborted");
        assertEquals(0, ws.writingForNanos());
        release.complete(null);
    }

    @Test
    void aRefusedUpgradeNamesTheStatus() throws Exception {
        serve((in, out, head) -> {
            out.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return List.of();
        }, false);
        WebSocketClient.HandshakeRefused e = assertThrows(WebSocketClient.HandshakeRefused.class, () -> connect(16));
        assertEquals(403, e.status);
        assertEquals("CloudHub refused the WebSocket upgrade with HTTP 403", LinkFailure.explain(e));
    }

    @Test
    void aWrongAcceptKeyIsRefused() throws Exception {
        serve((in, out, head) -> {
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: bm90IGl0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return List.of();
        }, false);
        IOException e = assertThrows(IOException.class, () -> connect(16));
        assertTrue(e.getMessage().contains("Sec-WebSocket-Accept"), e.getMessage());
    }

    @Test
    void aMaskedFrameFromTheServerIsAProtocolError() throws Exception {
        CompletableFuture<List<String>> seen = serve((in, out, head) -> {
            out.write(new byte[] {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2});
            out.flush();
            Frame close = read(in);
            return List.of(close.opcode + ":" + close.code());
        });
        connect(16).readLoop(recorder);
        String event = drain().get(0);
        assertTrue(event.startsWith("error:WebSocket protocol error"), event);
        assertEquals(List.of("8:1002"), seen.get(10, TimeUnit.SECONDS));
    }

    // ---- the server side, by hand ----

    private interface Script {
        List<String> run(DataInputStream in, OutputStream out, String head) throws Exception;
    }

    private CompletableFuture<List<String>> serve(Script script) {
        return serve(script, true);
    }

    /** One connection: the request's head read, then 101 with the right accept key when {@code upgrade}. */
    private CompletableFuture<List<String>> serve(Script script, boolean upgrade) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                String head = head(in);
                if (upgrade) {
                    String key = head.lines().filter(l -> l.startsWith("Sec-WebSocket-Key: ")).findFirst()
                            .orElseThrow().substring(19);
                    String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                    out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                return script.run(in, out, head);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private WebSocketClient connect(int maxMessageBytes) throws IOException {
        return WebSocketClient.connect(clientTls, TlsContexts.clientParameters(true),
                URI.create("wss://127.0.0.1:" + server.getLocalPort() + "/project/edge-1/events"),
                Map.of("node_id", "edge-1"), Duration.ofSeconds(10), maxMessageBytes);
    }

    private List<String> drain() throws InterruptedException {
        List<String> all = new java.util.ArrayList<>();
        for (String e = events.poll(10, TimeUnit.SECONDS); e != null; e = events.poll(200, TimeUnit.MILLISECONDS)) {
            all.add(e);
        }
        return all;
    }

    private static String head(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed in the request head");
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void frame(OutputStream out, boolean fin, int opcode, byte[] payload) throws IOException {
        out.write((fin ? 0x80 : 0) | opcode);
        out.write(payload.length); // all below 126 here
        out.write(payload);
        out.flush();
    }

    private record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int code() {
            return (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF);
        }
    }

    /** A client frame: it must be masked. */
    private static Frame read(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertTrue((b1 & 0x80) != 0, "client frames are masked");
        long n = b1 & 0x7F;
        n = n == 126 ? in.readUnsignedShort() : n == 127 ? in.readLong() : n;
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes((int) n);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        assertArrayEquals(new byte[] {(byte) 0x80}, new byte[] {(byte) (b0 & 0x80)}, "final frames");
        return new Frame(b0 & 0x0F, payload);
    }
}
