package dev.kedge.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.core.net.internal.AcceptorImpl;

class HttpEndpointTest {
    private final AcceptorImpl acceptor = new AcceptorImpl();
    private HttpEndpoint http;

    @BeforeEach
    void start() throws IOException {
        MonitorSettings s = MonitorSettings.of("127.0.0.1", 0, null, 3, 512, 500, 2);
        http = new HttpEndpoint(s, (method, path) -> path.equals("/metrics")
                ? new HttpResponse(200, Exposition.CONTENT_TYPE, "a_total 1\n")
                : HttpResponse.text(404, "not found\n"), acceptor);
    }

    @AfterEach
    void stop() {
        http.close();
        acceptor.stop();
    }

    @Test
    void answersGetAndClosesTheConnection() throws IOException {
        String r = exchange("GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        assertTrue(r.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), r);
        assertTrue(r.contains("Connection: close\r\n"), r);
        assertTrue(r.endsWith("\r\n\r\na_total 1\n"), r);
    }

    @Test
    void otherMethodsAre405UnknownPaths404OversizedRequests431() throws IOException {
        assertTrue(exchange("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n").startsWith("HTTP/1.1 405 "));
        assertTrue(exchange("HEAD /metrics HTTP/1.1\r\n\r\n").contains("Allow: GET"));
        assertTrue(exchange("GET /nope HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 404 "));
        assertTrue(exchange("GET /metrics HTTP/1.1\r\nX: " + "a".repeat(600) + "\r\n\r\n").startsWith("HTTP/1.1 431 "));
        assertTrue(exchange("garbage\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertEquals(5, http.badRequests.sum());
    }

    @Test
    void anIdleConnectionIsClosedAfterTheTimeout() throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            assertEquals(-1, s.getInputStream().read(), "closed without an answer");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 300 && ms < 3000, "closed after " + ms + " ms");
        }
        assertEquals(1, http.timedOut.sum());
    }

    @Test
    void connectionsBeyondTheLimitAreClosedAtOnceAndCounted() throws IOException {
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                idle.add(connect());
            }
            waitFor(() -> true, 100);
            try (Socket extra = connect()) {
                extra.setSoTimeout(2000);
                long t0 = System.nanoTime();
                assertEquals(-1, extra.getInputStream().read());
                assertTrue((System.nanoTime() - t0) / 1_000_000 < 400, "refused before the idle timeout");
            }
            assertEquals(1, http.refused.sum());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        // slots come back: the endpoint answers again once the idle ones are gone
        waitFor(() -> false, 700);
        assertTrue(exchange("GET /metrics HTTP/1.1\r\n\r\n").startsWith("HTTP/1.1 200 "));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", http.port()), 2000);
        return s;
    }

    private String exchange(String request) throws IOException {
        try (Socket s = connect()) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier done, long maxMs) {
        long end = System.currentTimeMillis() + maxMs;
        while (!done.getAsBoolean() && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
