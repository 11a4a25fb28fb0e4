package dev.kedge.edge.cri.internal.grpc;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection (cleartext, prior knowledge) to a unix socket, carrying one unary call at a time on the
 * caller's thread: no reader thread, no event loop. A call that overruns its deadline closes the connection, which
 * cancels it at the runtime too. Not thread-safe: {@link GrpcChannel} lends it to one caller at a time.
 * <p>A connection may instead carry one server-streaming call ({@link #startStream}), whose answers its owner
 * polls without waiting ({@link #pollStream}): still no thread of its own.
 */
final class Http2Connection implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int FRAME_HEADER = 9;
    /** Received bytes after which the connection window is topped up again. */
    private static final int WINDOW_REFILL = 1 << 30;
    /** The largest header block (response headers or trailers) accepted. */
    private static final int MAX_HEADER_BLOCK = 64 * 1024;
    /** The last client stream id (odd, below 2^31). */
    private static final int LAST_STREAM_ID = Integer.MAX_VALUE;

    private final SocketChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final ByteBuffer in = ByteBuffer.allocateDirect(FRAME_HEADER + Frame.DEFAULT_MAX_FRAME_SIZE).flip();
    private final ByteBuffer out = ByteBuffer.allocateDirect(FRAME_HEADER + Frame.DEFAULT_MAX_FRAME_SIZE);
    private final Hpack hpack = new Hpack();
    private int nextStream = 1;
    /** Flow-control windows the runtime grants: the connection's and the open stream's. */
    private long sendWindow = Frame.DEFAULT_WINDOW;
    private long streamWindow;
    private int peerInitialWindow = Frame.DEFAULT_WINDOW;
    /** Bytes received since the connection window was last topped up. */
    private long received;
    /** Bytes received on the streaming call since its window was last topped up. */
    private long streamReceived;
    /** GOAWAY seen: no new calls. */
    private boolean goingAway;
    private boolean broken;
    /** A settings or ping acknowledgement waits in the output buffer. */
    private boolean flushLater;

    private Http2Connection(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.selector = Selector.open();
        this.key = channel.register(selector, 0);
    }

    /** Connects and sends the preface with Kedge's settings; the runtime's settings are read with the first call. */
    static Http2Connection open(Path socket, long deadlineNanos) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            // a unix socket connects at once or fails at once (missing file, nobody listening)
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.configureBlocking(false);
            Http2Connection c = new Http2Connection(channel);
            c.out.put(PREFACE);
            c.frameHeader(18, Frame.SETTINGS, 0, 0);
            c.setting(Frame.SETTINGS_ENABLE_PUSH, 0);
            c.setting(Frame.SETTINGS_INITIAL_WINDOW_SIZE, Frame.MAX_WINDOW);
            c.setting(Frame.SETTINGS_MAX_HEADER_LIST_SIZE, MAX_HEADER_BLOCK);
            c.windowUpdate(0, Frame.MAX_WINDOW - Frame.DEFAULT_WINDOW);
            c.flush(deadlineNanos);
            return c;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether a new call may use this connection: it is open, and what the runtime sent while idle was benign. */
    boolean usable() {
        if (broken || goingAway || nextStream > LAST_STREAM_ID - 2 || !channel.isOpen()) {
            return false;
        }
        try {
            // non-blocking: handle the control frames (settings, ping, goaway) that arrived while the connection idled
            Frame f;
            while ((f = poll()) != null) {
                if (f.type() == Frame.HEADERS || f.type() == Frame.DATA || f.type() == Frame.CONTINUATION) {
                    throw new Http2Exception("frame of type " + f.type() + " on an idle connection");
                }
                control(f, 0);
            }
            if (flushLater) {
                flush(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
            }
            return !goingAway;
        } catch (IOException | GrpcException e) {
            broken = true;
            return false;
        }
    }

    /**
     * One request and its response: the headers, the body, then frames until the stream ends. A failed call leaves
     * the connection in an unknown state: the caller closes it.
     */
    Response call(Map<String, String> headers, byte[] body, long deadlineNanos) throws IOException, GrpcException {
        int stream = nextStream;
        nextStream += 2;
        writeHeaders(stream, Hpack.encode(headers));
        writeData(stream, body, deadlineNanos);
        return readResponse(stream, deadlineNanos);
    }

    /** Sends the request of a server-streaming call and returns its stream; the answers come from pollStream. */
    int startStream(Map<String, String> headers, byte[] body, long deadlineNanos) throws IOException, GrpcException {
        int stream = nextStream;
        nextStream += 2;
        streamReceived = 0;
        writeHeaders(stream, Hpack.encode(headers));
        writeData(stream, body, deadlineNanos);
        return stream;
    }

    /**
     * What arrived for the streaming call, without waiting for more: its DATA appended to {@code data}, its header
     * blocks (headers, then trailers) merged into {@code headers}, at most {@code maxFrames} frames. False once the
     * stream has ended; a reset stream is a {@link GrpcException}, a closed connection an {@link IOException}.
     */
    boolean pollStream(int stream, ByteArrayOutputStream data, Map<String, String> headers, int maxFrames)
            throws IOException, GrpcException {
        // only a header block split into CONTINUATION frames, or a full socket, waits, and not for long
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            for (int i = 0; i < maxFrames; i++) {
                Frame f = poll();
                if (f == null) {
                    break;
                }
                // no bound here: the stream cuts its messages off data after each poll, and bounds each of them
                if (!streamFrame(f, stream, data, headers, Long.MAX_VALUE, deadline)) {
                    return false;
                }
            }
            if (flushLater) {
                flush(deadline);
            }
            return true;
        } catch (IOException | GrpcException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /**
     * One frame, of a unary call's answer or of a polled stream: DATA for {@code stream} appended to {@code data}, its
     * header blocks (headers, then trailers) merged into {@code headers}, at most {@code maxData} bytes of them; false
     * when it ended the stream.
     */
    private boolean streamFrame(Frame f, int stream, ByteArrayOutputStream data, Map<String, String> headers,
            long maxData, long deadline) throws IOException, GrpcException {
        switch (f.type()) {
            case Frame.DATA -> {
                countReceived(f.payload().length, deadline);
                if (f.stream() == stream) {
                    byte[] content = f.content();
                    if (data.size() + content.length > maxData) {
                        throw new GrpcException("RESOURCE_EXHAUSTED", "answer larger than "
                                + GrpcChannel.MAX_MESSAGE_BYTES + " bytes");
                    }
                    data.write(content, 0, content.length);
                    streamReceived += f.payload().length;
                    if (streamReceived >= WINDOW_REFILL) { // only a long stream gets here: a call's answer is smaller
                        windowUpdate(stream, (int) streamReceived);
                        streamReceived = 0;
                        flush(deadline);
                    }
                    return !f.has(Frame.END_STREAM);
                }
            }
            case Frame.HEADERS -> {
                byte[] block = headerBlock(f, deadline);
                // decode even another stream's block: the HPACK table is the connection's
                hpack.decode(block, f.stream() == stream ? headers : new HashMap<>());
                return f.stream() != stream || !f.has(Frame.END_STREAM);
            }
            case Frame.RST_STREAM -> {
                if (f.stream() == stream) {
                    throw reset(f);
                }
            }
            case Frame.CONTINUATION -> throw new Http2Exception("CONTINUATION without HEADERS");
            default -> control(f, stream);
        }
        return true;
    }

    /** The headers of a response (trailers merged in) and its DATA. */
    record Response(Map<String, String> headers, byte[] body) {
    }

    private Response readResponse(int stream, long deadlineNanos) throws IOException, GrpcException {
        Map<String, String> headers = new HashMap<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        streamReceived = 0;
        long maxData = GrpcChannel.MAX_MESSAGE_BYTES + GrpcChannel.PREFIX_BYTES; // a unary answer is one message
        while (streamFrame(read(deadlineNanos), stream, body, headers, maxData, deadlineNanos)) {
            // until the answer's END_STREAM
        }
        return new Response(headers, body.toByteArray());
    }

    /**
     * SETTINGS, PING, GOAWAY, WINDOW_UPDATE, PRIORITY and unknown frames (ignored, as RFC 9113 asks). A GOAWAY that
     * says {@code stream} (0 between calls) was not processed fails it as UNAVAILABLE.
     */
    private void control(Frame f, int stream) throws IOException, GrpcException {
        switch (f.type()) {
            case Frame.SETTINGS -> {
                if (f.has(Frame.ACK)) {
                    return;
                }
                if (f.payload().length % 6 != 0) {
                    throw new Http2Exception("SETTINGS of " + f.payload().length + " bytes");
                }
                for (int i = 0; i < f.payload().length; i += 6) {
                    int id = ((f.payload()[i] & 0xff) << 8) | (f.payload()[i + 1] & 0xff);
                    int value = f.int32(i + 2);
                    if (id == Frame.SETTINGS_INITIAL_WINDOW_SIZE) {
                        if (value < 0) {
                            throw new Http2Exception("initial window " + Integer.toUnsignedString(value));
                        }
                        // applies to the open stream too (RFC 9113, 6.9.2)
                        streamWindow += (long) value - peerInitialWindow;
                        peerInitialWindow = value;
                    }
                    // the others do not bind a client sending small frames with literal headers
                }
                frameHeader(0, Frame.SETTINGS, Frame.ACK, 0);
                flushLater = true;
            }
            case Frame.PING -> {
                if (!f.has(Frame.ACK)) {
                    frameHeader(8, Frame.PING, Frame.ACK, 0);
                    out.put(f.payload(), 0, 8);
                    flushLater = true;
                }
            }
            case Frame.GOAWAY -> {
                goingAway = true;
                if (stream > (f.int32(0) & LAST_STREAM_ID)) {
                    throw new GrpcException("UNAVAILABLE", "the runtime is closing the connection (GOAWAY)");
                }
            }
            case Frame.WINDOW_UPDATE -> {
                int increment = f.int32(0) & LAST_STREAM_ID;
                if (f.stream() == 0) {
                    sendWindow += increment;
                } else if (f.stream() == stream) {
                    streamWindow += increment;
                }
            }
            case Frame.PUSH_PROMISE -> throw new Http2Exception("PUSH_PROMISE although push is disabled");
            default -> {
                // PRIORITY, RST_STREAM of a finished stream, extension frames
            }
        }
    }

    private GrpcException reset(Frame f) {
        int error = f.int32(0);
        String code = switch (error) {
            case 0x7 -> "UNAVAILABLE"; // REFUSED_STREAM: not processed
            case 0x8 -> "CANCELLED";
            case 0xb -> "RESOURCE_EXHAUSTED"; // ENHANCE_YOUR_CALM
            case 0xc -> "PERMISSION_DENIED"; // INADEQUATE_SECURITY
            default -> "INTERNAL";
        };
        return GrpcException.fromRuntime(code, "stream reset by the runtime (HTTP/2 error " + error + ")");
    }

    /** The whole header block of a HEADERS frame and the CONTINUATION frames after it. */
    private byte[] headerBlock(Frame headers, long deadlineNanos) throws IOException {
        byte[] first = headers.content();
        if (headers.has(Frame.END_HEADERS)) {
            return first;
        }
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(first, 0, first.length);
        Frame f;
        do {
            f = read(deadlineNanos);
            if (f.type() != Frame.CONTINUATION || f.stream() != headers.stream()) {
                throw new Http2Exception("header block interrupted by a frame of type " + f.type());
            }
            block.write(f.payload(), 0, f.payload().length);
            if (block.size() > MAX_HEADER_BLOCK) {
                throw new Http2Exception("header block larger than " + MAX_HEADER_BLOCK + " bytes");
            }
        } while (!f.has(Frame.END_HEADERS));
        return block.toByteArray();
    }

    private void countReceived(int bytes, long deadlineNanos) throws IOException {
        received += bytes;
        if (received >= WINDOW_REFILL) {
            windowUpdate(0, (int) received);
            received = 0;
            flush(deadlineNanos);
        }
    }

    // ---- writing

    private void writeHeaders(int stream, byte[] block) {
        // Kedge's headers are a few hundred bytes: one HEADERS frame (a request never needs CONTINUATION)
        if (block.length > Frame.DEFAULT_MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("request headers of " + block.length + " bytes");
        }
        frameHeader(block.length, Frame.HEADERS, Frame.END_HEADERS, stream);
        out.put(block);
        streamWindow = peerInitialWindow;
    }

    /** The body in DATA frames within the runtime's flow-control windows. */
    private void writeData(int stream, byte[] body, long deadlineNanos) throws IOException, GrpcException {
        ByteBuffer data = ByteBuffer.wrap(body);
        do {
            int n = (int) Math.min(Math.min(data.remaining(), Frame.DEFAULT_MAX_FRAME_SIZE),
                    Math.min(sendWindow, streamWindow));
            if (n <= 0 && data.hasRemaining()) {
                flush(deadlineNanos);
                Frame f = read(deadlineNanos);
                if (f.type() == Frame.RST_STREAM && f.stream() == stream) {
                    throw reset(f);
                }
                if (f.type() == Frame.HEADERS || f.type() == Frame.DATA) {
                    throw new Http2Exception("answer before the request was sent");
                }
                control(f, stream);
                continue;
            }
            if (out.remaining() < FRAME_HEADER + n) {
                flush(deadlineNanos);
            }
            boolean last = n == data.remaining();
            frameHeader(n, Frame.DATA, last ? Frame.END_STREAM : 0, stream);
            out.put(data.slice(data.position(), n));
            data.position(data.position() + n);
            sendWindow -= n;
            streamWindow -= n;
        } while (data.hasRemaining());
        flush(deadlineNanos);
    }

    private void frameHeader(int length, int type, int flags, int stream) {
        out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
        out.put((byte) type).put((byte) flags).putInt(stream);
    }

    private void setting(int id, int value) {
        out.putShort((short) id).putInt(value);
    }

    private void windowUpdate(int stream, int increment) {
        frameHeader(4, Frame.WINDOW_UPDATE, 0, stream);
        out.putInt(increment);
    }

    private void flush(long deadlineNanos) throws IOException {
        out.flip();
        try {
            while (out.hasRemaining()) {
                if (channel.write(out) == 0) {
                    await(SelectionKey.OP_WRITE, deadlineNanos);
                }
            }
        } finally {
            out.clear();
        }
        flushLater = false;
    }

    // ---- reading

    /** The next frame, waiting until the deadline; a pending settings or ping acknowledgement goes out first. */
    private Frame read(long deadlineNanos) throws IOException {
        if (flushLater) {
            flush(deadlineNanos);
        }
        Frame f;
        while ((f = parse()) == null) {
            if (fill() == 0) {
                await(SelectionKey.OP_READ, deadlineNanos);
            }
        }
        return f;
    }

    /** A frame if one arrived, without waiting. */
    private Frame poll() throws IOException {
        Frame f = parse();
        if (f == null && fill() > 0) {
            f = parse();
        }
        return f;
    }

    /** Reads what the socket has into the buffer, without waiting: the number of bytes, 0 if none yet. */
    private int fill() throws IOException {
        in.compact();
        int n;
        try {
            n = channel.read(in);
        } finally {
            in.flip();
        }
        if (n < 0) {
            throw new EOFException("the runtime closed the connection");
        }
        return n;
    }

    /** A whole frame from the buffer, or null when it is not all there yet. */
    private Frame parse() throws Http2Exception {
        if (in.remaining() < FRAME_HEADER) {
            return null;
        }
        int p = in.position();
        int length = ((in.get(p) & 0xff) << 16) | ((in.get(p + 1) & 0xff) << 8) | (in.get(p + 2) & 0xff);
        if (length > Frame.DEFAULT_MAX_FRAME_SIZE) {
            throw new Http2Exception("frame of " + length + " bytes, above the announced maximum");
        }
        if (in.remaining() < FRAME_HEADER + length) {
            return null;
        }
        int type = in.get(p + 3) & 0xff;
        int flags = in.get(p + 4) & 0xff;
        int stream = in.getInt(p + 5) & LAST_STREAM_ID;
        byte[] payload = new byte[length];
        in.get(p + FRAME_HEADER, payload);
        in.position(p + FRAME_HEADER + length);
        if ((type == Frame.RST_STREAM || type == Frame.WINDOW_UPDATE) && length != 4
                || type == Frame.PING && length != 8 || type == Frame.GOAWAY && length < 8) {
            throw new Http2Exception("frame of type " + type + " with " + length + " bytes");
        }
        return new Frame(type, flags, stream, payload);
    }

    private void await(int op, long deadlineNanos) throws IOException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new DeadlineException();
        }
        key.interestOps(op);
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        selector.selectedKeys().clear();
    }

    /** The call's deadline passed while it waited on the runtime. */
    static final class DeadlineException extends IOException {
        private static final long serialVersionUID = 1L;

        DeadlineException() {
            super("deadline exceeded");
        }
    }

    @Override
    public void close() {
        broken = true;
        try (Selector s = selector; SocketChannel c = channel) {
            // closes both
        } catch (IOException e) {
            // closing: nothing to do
        }
    }
}
