package dev.kedge.edge.edged.internal.spec;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Kubelet's HTTP probe on a plain socket, so that one deadline covers connect, TLS handshake and response: GET with
 * {@code User-Agent: kube-probe/<version>}, success for status 200–399. Redirects to the same host are followed (at
 * most 10); one to another host counts as success, as in kubelet. HTTPS trusts any certificate and name, like
 * kubelet's probes. Only the status line and headers are read.
 */
final class HttpProbe {
    static final String USER_AGENT = "kube-probe/1.20";
    private static final int MAX_REDIRECTS = 10;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final SSLSocketFactory TRUST_ALL = trustAll();

    private HttpProbe() {
    }

    static ProbeResult get(String scheme, String host, int port, String path, Map<String, String> headers,
            long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        host = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String target = path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            Response r;
            try {
                r = fetch(scheme, host, port, target, headers, deadline);
            } catch (SocketTimeoutException e) {
                return new ProbeResult(false, "Get \"" + url(scheme, host, port, target)
                        + "\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)");
            } catch (IOException e) {
                return new ProbeResult(false, "Get \"" + url(scheme, host, port, target) + "\": " + e.getMessage());
            }
            if (r.status >= 300 && r.status < 400 && r.location != null) {
                URI next;
                try {
                    next = URI.create(url(scheme, host, port, target)).resolve(r.location);
                } catch (IllegalArgumentException e) {
                    return new ProbeResult(true, "Probe terminated redirects, Response: " + r.status);
                }
                int nextPort = next.getPort() > 0 ? next.getPort() : "https".equalsIgnoreCase(next.getScheme()) ? 443
                        : 80;
                if (next.getHost() == null || !next.getHost().equalsIgnoreCase(stripBrackets(host))
                        || nextPort != port) {
                    return new ProbeResult(true, "Probe terminated redirects, Response: " + r.status);
                }
                scheme = next.getScheme() == null ? scheme : next.getScheme().toLowerCase(Locale.ROOT);
                target = (next.getRawPath() == null || next.getRawPath().isEmpty() ? "/" : next.getRawPath())
                        + (next.getRawQuery() == null ? "" : "?" + next.getRawQuery());
                continue;
            }
            if (r.status >= 200 && r.status < 400) {
                return new ProbeResult(true, "");
            }
            return new ProbeResult(false, "HTTP probe failed with statuscode: " + r.status);
        }
        return new ProbeResult(false, "Get \"" + url(scheme, host, port, target) + "\": stopped after 10 redirects");
    }

    private record Response(int status, String location) {
    }

    private static Response fetch(String scheme, String host, int port, String target, Map<String, String> headers,
            long deadline) throws IOException {
        boolean tls = scheme.equals("https");
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(stripBrackets(host), port), remaining(deadline));
            Socket s = plain;
            if (tls) {
                SSLSocket ssl = (SSLSocket) TRUST_ALL.createSocket(plain, stripBrackets(host), port, true);
                ssl.setSoTimeout(remaining(deadline));
                ssl.startHandshake();
                s = ssl;
            }
            try (Socket socket = s) {
                Map<String, String> h = new LinkedHashMap<>();
                boolean defaultPort = port == (tls ? 443 : 80);
                h.put("Host", defaultPort ? host : host + ":" + port);
                h.put("User-Agent", USER_AGENT);
                h.put("Accept", "*/*");
                for (Map.Entry<String, String> e : headers.entrySet()) {
                    h.keySet().removeIf(k -> k.equalsIgnoreCase(e.getKey()));
                    h.put(e.getKey(), e.getValue());
                }
                h.put("Connection", "close");
                StringBuilder req = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\n");
                h.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
                req.append("\r\n");
                OutputStream out = socket.getOutputStream();
                out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return readHead(socket, deadline);
            }
        }
    }

    private static Response readHead(Socket socket, long deadline) throws IOException {
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1024);
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            socket.setSoTimeout(remaining(deadline));
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (head.size() > MAX_HEADER_BYTES) {
                throw new IOException("response headers larger than " + MAX_HEADER_BYTES + " bytes");
            }
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new IOException("malformed HTTP response: \"" + lines[0] + "\"");
        }
        int code;
        try {
            code = Integer.parseInt(status[1].strip());
        } catch (NumberFormatException e) {
            throw new IOException("malformed HTTP status line: \"" + lines[0] + "\"");
        }
        String location = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase("Location")) {
                location = lines[i].substring(colon + 1).strip();
            }
        }
        return new Response(code, location);
    }

    /** Milliseconds left (at least 1, since 0 means "no timeout" to sockets); past the deadline → timeout. */
    private static int remaining(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline exceeded");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    static String url(String scheme, String host, int port, String target) {
        return scheme + "://" + host + ":" + port + target;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static SSLSocketFactory trustAll() {
        TrustManager any = new X509ExtendedTrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
            }

            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {any}, null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM", e);
        }
    }
}
