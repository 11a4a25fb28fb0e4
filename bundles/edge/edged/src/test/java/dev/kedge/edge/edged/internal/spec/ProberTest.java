package dev.kedge.edge.edged.internal.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.kedge.edge.cri.ExecResult;
import dev.kedge.edge.cri.RuntimeCallException;

/** HTTP and TCP probes against local servers on 127.0.0.1; exec probes on an in-memory runtime. */
class ProberTest {
    private static final String LOOPBACK = "127.0.0.1";
    private final FakeRuntime runtime = new FakeRuntime();
    private final Prober prober = new Prober(runtime);
    private final Map<String, String> seenHeaders = new ConcurrentHashMap<>();
    private HttpServer server;
    private ExecutorService serverThreads;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 16);
        serverThreads = Executors.newFixedThreadPool(2);
        server.setExecutor(serverThreads);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            seenHeaders.put("User-Agent", String.valueOf(ex.getRequestHeaders().getFirst("User-Agent")));
            seenHeaders.put("X-Custom", String.valueOf(ex.getRequestHeaders().getFirst("X-Custom")));
            int status = switch (path) {
                case "/ok" -> 200;
                case "/nocontent" -> 204;
                case "/notmodified" -> 304;
                case "/missing" -> 404;
                case "/redirect-bad" -> 302;
                case "/redirect-away" -> 302;
                default -> 500;
            };
            if (path.equals("/redirect-bad")) {
                ex.getResponseHeaders().add("Location", "/broken");
            } else if (path.equals("/redirect-away")) {
                ex.getResponseHeaders().add("Location", "http://example.invalid/elsewhere");
            } else if (path.equals("/slow")) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private static JsonNode probe(String json) {
        return FakeObjects.json(json);
    }

    private ProbeResult http(String path) {
        return prober.probe(probe("{'httpGet':{'path':'" + path + "','port':" + port + "},'timeoutSeconds':1}"),
                "cid", LOOPBACK);
    }

    @Test
    void httpStatusDecidesAsKubelet() {
        assertTrue(http("/ok").success());
        assertTrue(http("/nocontent").success());
        assertTrue(http("/notmodified").success(), "3xx without a location is a success");
        ProbeResult missing = http("/missing");
        assertFalse(missing.success());
        assertEquals("HTTP probe failed with statuscode: 404", missing.message());
        assertFalse(http("/redirect-bad").success(), "a same-host redirect is followed to its 500");
        assertTrue(http("/redirect-away").success(), "a redirect to another host ends the probe as success");
        assertEquals("kube-probe/1.20", seenHeaders.get("User-Agent"));
    }

    @Test
    void headersNamedPortsAndHost() {
        JsonNode container = FakeObjects.json("{'name':'c','ports':[{'name':'web','containerPort':" + port + "}]}");
        ProbeResult r = prober.probe(probe("{'httpGet':{'path':'/ok','port':'web','host':'127.0.0.1',"
                + "'httpHeaders':[{'name':'X-Custom','value':'yes'},{'name':'User-Agent','value':'mine'}]}}"),
                container, "cid", "");
        assertTrue(r.success(), r.message());
        assertEquals("yes", seenHeaders.get("X-Custom"));
        assertEquals("mine", seenHeaders.get("User-Agent"), "probe headers replace the defaults");
        ProbeResult unnamed = prober.probe(probe("{'httpGet':{'path':'/ok','port':'web'}}"), "cid", LOOPBACK);
        assertFalse(unnamed.success());
        assertTrue(unnamed.message().contains("couldn't find port"), unnamed.message());
        assertFalse(prober.probe(probe("{'httpGet':{'path':'/ok','port':" + port + "}}"), "cid", "").success(),
                "no pod IP yet");
    }

    @Test
    void theTimeoutHoldsForSlowServersAndSilentSockets() throws Exception {
        long start = System.nanoTime();
        ProbeResult slow = http("/slow");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertFalse(slow.success());
        assertTrue(slow.message().contains("deadline exceeded"), slow.message());
        assertTrue(tookMs >= 900 && tookMs < 2500, "took " + tookMs + " ms for a 1 s timeout");

        // a socket that accepts and never answers: HTTPS handshake and plain HTTP both end at the deadline
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getByName(LOOPBACK))) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.start();
            for (String scheme : List.of("HTTPS", "HTTP")) {
                start = System.nanoTime();
                ProbeResult r = prober.probe(probe("{'httpGet':{'scheme':'" + scheme + "','path':'/','port':"
                        + silent.getLocalPort() + "},'timeoutSeconds':1}"), "cid", LOOPBACK);
                tookMs = (System.nanoTime() - start) / 1_000_000;
                assertFalse(r.success());
                assertTrue(tookMs < 2500, scheme + " took " + tookMs + " ms");
            }
            silent.close();
            acceptor.join(2000);
            for (Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void tcpSocketConnectsOrFails() throws Exception {
        assertTrue(prober.probe(probe("{'tcpSocket':{'port':" + port + "}}"), "cid", LOOPBACK).success());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            closed = s.getLocalPort();
        }
        ProbeResult r = prober.probe(probe("{'tcpSocket':{'port':" + closed + "}}"), "cid", LOOPBACK);
        assertFalse(r.success());
        assertTrue(r.message().startsWith("dial tcp 127.0.0.1:" + closed), r.message());
        assertFalse(prober.probe(probe("{'tcpSocket':{'port':70000}}"), "cid", LOOPBACK).success());
    }

    @Test
    void execSucceedsOnExitZeroOnly() {
        CountDownLatch called = new CountDownLatch(1);
        runtime.exec = cmd -> {
            called.countDown();
            return cmd.contains("fail") ? new ExecResult(3, "", "boom") : new ExecResult(0, "fine\n", "");
        };
        ProbeResult ok = prober.probe(probe("{'exec':{'command':['cat','/tmp/ready']}}"), "cid", "");
        assertTrue(ok.success());
        assertEquals("fine", ok.message());
        ProbeResult bad = prober.probe(probe("{'exec':{'command':['fail']}}"), "cid", "");
        assertFalse(bad.success());
        assertTrue(bad.message().contains("exited with 3") && bad.message().contains("boom"), bad.message());
        runtime.exec = cmd -> {
            throw new RuntimeCallException("ExecSync", "DEADLINE_EXCEEDED", "", null);
        };
        ProbeResult late = prober.probe(probe("{'exec':{'command':['sleep','9']},'timeoutSeconds':2}"), "cid", "");
        assertFalse(late.success());
        assertTrue(late.message().contains("timed out after 2s"), late.message());
        assertFalse(prober.probe(probe("{}"), "cid", "").success(), "no handler");
        assertFalse(prober.probe(null, "cid", "").success());
        try {
            assertTrue(called.await(0, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
