package dev.kedge.edge.cri.internal.grpc;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.kedge.edge.cri.CallStats;

/**
 * Unary gRPC calls over HTTP/2 to one unix socket, each on the caller's thread: a call borrows an idle connection
 * or opens one (a unix socket connects in microseconds), and returns it when the call ended cleanly. So a long
 * PullImage never holds up a status call, a restarted runtime is reached by the next call, and no thread waits on
 * the socket between calls. The subset of gRPC a CRI client needs: no compression, no TLS, and of streaming only
 * a server stream its owner polls ({@link #serverStream}: containerd's events).
 */
public final class GrpcChannel implements AutoCloseable {
    /** Larger than any ListContainers/ListImages answer of a gateway; containerd caps ExecSync output at 16 MiB. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** gRPC's message prefix: a compressed flag and a 4-byte length. */
    static final int PREFIX_BYTES = 5;
    /** Idle connections kept for the next calls; more are closed when they are returned. */
    static final int MAX_IDLE = 2;
    /** Calls at once; one more fails with RESOURCE_EXHAUSTED rather than opening sockets without end. */
    static final int MAX_CALLS = 32;

    private final Path socket;
    private final String endpoint;
    private final ArrayDeque<Http2Connection> idle = new ArrayDeque<>();
    private final Set<GrpcStream> streams = new HashSet<>();
    private final AtomicInteger running = new AtomicInteger();
    private final LongAdder calls = new LongAdder();
    private final LongAdder runtimeErrors = new LongAdder();
    private final LongAdder protocolErrors = new LongAdder();
    private final LongAdder timeouts = new LongAdder();
    private final LongAdder unavailable = new LongAdder();
    private final AtomicInteger opened = new AtomicInteger();
    private boolean closed;

    /** {@code endpoint} names the socket in error messages, as the operator configured it. */
    public GrpcChannel(Path socket, String endpoint) {
        this.socket = socket;
        this.endpoint = endpoint;
    }

    /**
     * Calls {@code method} ("/package.Service/Method") with a serialized request, returning the serialized answer.
     * Every failure is a {@link GrpcException}: {@code UNAVAILABLE} when the runtime cannot be reached (the message
     * names the endpoint), {@code DEADLINE_EXCEEDED}, {@code INTERNAL} for a broken answer, else the runtime's status.
     */
    public byte[] unary(String method, byte[] request, long timeoutMillis) throws GrpcException {
        calls.increment();
        try {
            return call(method, request, timeoutMillis);
        } catch (GrpcException e) {
            count(e);
            throw e;
        }
    }

    /**
     * Opens a server-streaming call on a connection of its own, without a deadline: {@link GrpcStream#poll} reads
     * what arrived. Closing this channel ends it.
     *
     * @param maxMessageBytes the largest message accepted; a larger one fails the stream
     */
    public GrpcStream serverStream(String method, byte[] request, int maxMessageBytes) throws GrpcException {
        calls.increment();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        try {
            synchronized (this) {
                if (closed) {
                    throw closedError();
                }
            }
            Http2Connection c;
            try {
                c = Http2Connection.open(socket, deadline);
            } catch (IOException e) {
                throw unavailable(e);
            }
            opened.incrementAndGet();
            GrpcStream s;
            try {
                s = new GrpcStream(this, c, c.startStream(headers(method), framed(request), deadline),
                        maxMessageBytes);
            } catch (IOException | GrpcException | RuntimeException e) {
                c.close();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw failure(e, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            }
            synchronized (this) {
                if (!closed) {
                    streams.add(s);
                    return s;
                }
            }
            s.close();
            throw closedError();
        } catch (GrpcException e) {
            count(e);
            throw e;
        }
    }

    private GrpcException closedError() {
        return new GrpcException("UNAVAILABLE", "the CRI client is closed (" + endpoint + ")");
    }

    synchronized void ended(GrpcStream s) {
        streams.remove(s);
    }

    /** Counts a failed call by how it failed (also for an answer its caller could not parse). */
    public void count(GrpcException e) {
        if (e.fromRuntime()) {
            runtimeErrors.increment();
            return;
        }
        switch (e.code()) {
            case "DEADLINE_EXCEEDED" -> timeouts.increment();
            case "UNAVAILABLE", "RESOURCE_EXHAUSTED" -> unavailable.increment();
            default -> protocolErrors.increment();
        }
    }

    /** Calls since this channel was made and how the failed ones failed. */
    public CallStats stats() {
        return new CallStats(calls.sum(), runtimeErrors.sum(), protocolErrors.sum(), timeouts.sum(),
                unavailable.sum());
    }

    private byte[] call(String method, byte[] request, long timeoutMillis) throws GrpcException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        if (running.incrementAndGet() > MAX_CALLS) {
            running.decrementAndGet();
            throw new GrpcException("RESOURCE_EXHAUSTED", MAX_CALLS + " calls to " + endpoint + " already running");
        }
        try {
            Http2Connection c = borrow(deadline);
            Http2Connection.Response r;
            try {
                r = c.call(headers(method, deadline), framed(request), deadline);
            } catch (IOException | GrpcException | RuntimeException e) {
                // a call that did not end cleanly leaves its connection in an unknown state
                c.close();
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw failure(e, timeoutMillis);
            }
            // the stream ended cleanly, whatever its status: the connection serves the next call
            giveBack(c);
            return answer(r);
        } finally {
            running.decrementAndGet();
        }
    }

    private GrpcException failure(Exception e, long timeoutMillis) {
        if (e instanceof GrpcException g) {
            return g;
        }
        if (e instanceof Http2Connection.DeadlineException) {
            return new GrpcException("DEADLINE_EXCEEDED", "no answer within " + timeoutMillis + " ms", e);
        }
        if (e instanceof Http2Exception) {
            return new GrpcException("INTERNAL", "HTTP/2 protocol error: " + e.getMessage(), e);
        }
        return unavailable((IOException) e);
    }

    /** The request as one uncompressed gRPC message: flag 0, 4-byte length, the message. */
    private static byte[] framed(byte[] message) {
        return ByteBuffer.allocate(PREFIX_BYTES + message.length).put((byte) 0).putInt(message.length).put(message)
                .array();
    }

    private Map<String, String> headers(String method, long deadline) {
        Map<String, String> h = headers(method);
        long millis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        // at most 8 digits (gRPC's wire format): long deadlines in seconds
        h.put("grpc-timeout", millis < 100_000_000L ? millis + "m" : Math.min(millis / 1000, 99_999_999L) + "S");
        return h;
    }

    /** A call's headers without a deadline. */
    private static Map<String, String> headers(String method) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(":method", "POST");
        h.put(":scheme", "http");
        h.put(":path", method);
        // the socket path is no valid authority; runtimes ignore it
        h.put(":authority", "localhost");
        h.put("content-type", "application/grpc");
        h.put("te", "trailers");
        h.put("user-agent", "kedge-cri");
        return h;
    }

    /** The one message of a successful call, or the call's status as an exception. */
    static byte[] answer(Http2Connection.Response r) throws GrpcException {
        GrpcException failed = status(r.headers());
        if (failed != null) {
            throw failed;
        }
        byte[] body = r.body();
        if (body.length < PREFIX_BYTES) {
            throw new GrpcException("INTERNAL", "OK without an answer message");
        }
        if (body[0] != 0) {
            throw new GrpcException("INTERNAL", "compressed answer, although none was offered");
        }
        int length = ByteBuffer.wrap(body, 1, 4).getInt();
        if (length != body.length - PREFIX_BYTES) {
            throw new GrpcException("INTERNAL", "answer of " + (body.length - PREFIX_BYTES) + " bytes framed as "
                    + length + " (a unary call has one message)");
        }
        return Arrays.copyOfRange(body, PREFIX_BYTES, body.length);
    }

    /** The status of an ended call as an exception, or null when it is OK. */
    static GrpcException status(Map<String, String> h) {
        String grpcStatus = h.get("grpc-status");
        if (grpcStatus == null) {
            int http = parse(h.get(":status"), -1);
            if (http != 200) {
                return GrpcException.fromRuntime(GrpcException.fromHttpStatus(http), "HTTP status " + h.get(":status")
                        + " without a gRPC status");
            }
            return new GrpcException("INTERNAL", "answer without a gRPC status");
        }
        int code = parse(grpcStatus, 2);
        return code == 0 ? null : GrpcException.fromRuntime(GrpcException.codeName(code),
                percentDecoded(h.getOrDefault("grpc-message", "")));
    }

    /** grpc-message is percent-encoded UTF-8. */
    static String percentDecoded(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        byte[] raw = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                out.write(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }

    private static int parse(String s, int fallback) {
        try {
            return s == null ? fallback : Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private Http2Connection borrow(long deadline) throws GrpcException {
        while (true) {
            Http2Connection c;
            synchronized (this) {
                if (closed) {
                    throw closedError();
                }
                c = idle.pollFirst();
            }
            if (c == null) {
                break;
            }
            if (c.usable()) {
                return c;
            }
            c.close();
        }
        try {
            Http2Connection c = Http2Connection.open(socket, deadline);
            opened.incrementAndGet();
            return c;
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private void giveBack(Http2Connection c) {
        synchronized (this) {
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(c);
                return;
            }
        }
        c.close();
    }

    private GrpcException unavailable(IOException e) {
        // a missing socket is an exception whose message is the path, or none at all
        String why = e instanceof EOFException ? e.getMessage()
                : e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                        + e.getMessage();
        return new GrpcException("UNAVAILABLE", why + " (runtime endpoint " + endpoint + ")", e);
    }

    /** An answer that is no valid message of the call's type. */
    public static GrpcException malformed(Exception e) {
        return new GrpcException("INTERNAL", "malformed answer: " + e.getMessage(), e);
    }

    /** Connections opened so far (for tests: reuse). */
    int connectionsOpened() {
        return opened.get();
    }

    @Override
    public void close() {
        List<GrpcStream> open;
        synchronized (this) {
            closed = true;
            idle.forEach(Http2Connection::close);
            idle.clear();
            open = new ArrayList<>(streams);
            streams.clear();
        }
        open.forEach(GrpcStream::close);
    }
}
