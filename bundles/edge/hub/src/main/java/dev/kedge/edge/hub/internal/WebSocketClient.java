package dev.kedge.edge.hub.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A client WebSocket (RFC 6455, no extensions) over a blocking TLS socket: what EdgeHub needs of one, without the
 * JDK HttpClient's 330 classes and selector thread. {@link #readLoop} runs on one thread and hands over whole
 * messages (a message over the bound is skipped to its end, never buffered); writes are serialised by a lock and
 * masked, as a client's must be. A blocked write (a peer that stopped reading) is ended by {@link #abort}, which
 * the caller's watchdog does after its write deadline ({@link #writingForNanos}).
 */
final class WebSocketClient {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_RESPONSE_HEAD = 16 * 1024;
    private static final int CONTINUATION = 0x0, TEXT = 0x1, BINARY = 0x2, CLOSE = 0x8, PING = 0x9, PONG = 0xA;
    /** Close codes of RFC 6455 section 7.4.1. */
    static final int NORMAL = 1000, PROTOCOL_ERROR = 1002;

    /** What the reading thread reports; called on it, one call at a time. */
    interface Listener {
        void onText(String message);

        void onBinary(byte[] message);

        /** A message above the bound, skipped; the connection goes on. */
        void onTooLarge(long bytes, int max);

        /** Anything that shows the peer alive: a frame of any kind, or a part of one. */
        void onActivity();

        /** The peer closed ({@code code} 1005 when it gave none). */
        void onClose(int code, String reason);

        /** The connection failed or was aborted. */
        void onError(IOException e);
    }

    /** The server answered the upgrade with something else than 101 Switching Protocols. */
    static final class HandshakeRefused extends IOException {
        private static final long serialVersionUID = 1L;
        final int status;

        HandshakeRefused(int status, String line) {
            super("HTTP " + status + " instead of 101 Switching Protocols: " + line);
            this.status = status;
        }
    }

    /** The TCP socket under TLS: closing it ends a blocked write at once (the TLS socket's close waits for it). */
    private final Socket tcp;
    private final DataInputStream in;
    private final OutputStream out;
    private final int maxMessageBytes;
    private final ReentrantLock writing = new ReentrantLock();
    private final SecureRandom masks = new SecureRandom();
    private volatile long writeStarted; // 0 while no write is under way
    private volatile boolean closeSent;

    private WebSocketClient(Socket tcp, InputStream in, OutputStream out, int maxMessageBytes) {
        this.tcp = tcp;
        this.in = new DataInputStream(in);
        this.out = out;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * TCP connect, TLS handshake and WebSocket upgrade of {@code wss://} {@code uri}, with {@code headers} added to
     * the upgrade request; each step within {@code timeout}.
     */
    static WebSocketClient connect(SSLContext tls, SSLParameters params, URI uri, Map<String, String> headers,
            Duration timeout, int maxMessageBytes) throws IOException {
        if (!"wss".equals(uri.getScheme())) {
            throw new IllegalArgumentException("not a wss:// address: " + uri);
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
        Socket tcp = new Socket();
        try {
            tcp.setTcpNoDelay(true); // small frames (acks, heartbeats) go out at once
            tcp.connect(new InetSocketAddress(uri.getHost(), port), millis);
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(tcp, uri.getHost(), port, true);
            ssl.setSSLParameters(params);
            ssl.setSoTimeout(millis);
            ssl.startHandshake();
            InputStream in = new BufferedInputStream(ssl.getInputStream(), 16 * 1024);
            upgrade(ssl.getOutputStream(), in, uri, port, headers);
            ssl.setSoTimeout(0); // from now on the caller's watchdog decides when the peer is gone
            return new WebSocketClient(tcp, in, ssl.getOutputStream(), maxMessageBytes);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    private static void upgrade(OutputStream out, InputStream in, URI uri, int port, Map<String, String> headers)
            throws IOException {
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String key = Base64.getEncoder().encodeToString(nonce);
        StringBuilder req = new StringBuilder(256).append("GET ")
                .append(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(port).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
                .append("Sec-WebSocket-Key: ").append(key).append("\r\n");
        headers.forEach((name, value) -> req.append(name).append(": ").append(value).append("\r\n"));
        out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();

        String[] lines = readHead(in).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        int code = status.length >= 2 && status[1].matches("\\d{3}") ? Integer.parseInt(status[1]) : -1;
        if (code != 101) {
            throw new HandshakeRefused(code, lines[0]);
        }
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).strip().equalsIgnoreCase("Sec-WebSocket-Accept")) {
                accept = lines[i].substring(colon + 1).strip();
            }
        }
        if (!acceptFor(key).equals(accept)) {
            throw new IOException("WebSocket upgrade answered with a wrong Sec-WebSocket-Accept: " + accept);
        }
    }

    /** The response's status line and headers, up to the empty line; bounded. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(256);
        int matched = 0; // of \r\n\r\n
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the WebSocket upgrade");
            }
            head.write(b);
            if (head.size() > MAX_RESPONSE_HEAD) {
                throw new IOException("WebSocket upgrade response longer than " + MAX_RESPONSE_HEAD + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static String acceptFor(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1")
                    .digest((key + GUID).getBytes(StandardCharsets.ISO_8859_1));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    // ---- reading ----

    /** Reads until the connection ends, reporting to {@code listener}; returns after its last call. */
    void readLoop(Listener listener) {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int messageType = -1; // of the data message under way, -1 between messages
        long messageBytes = 0;
        try {
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                long length = b1 & 0x7F;
                if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) {
                    throw new ProtocolError("reserved bits or a mask from the server (frame header 0x"
                            + Integer.toHexString(b0 << 8 | b1) + ")");
                }
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                    if (length < 0) {
                        throw new ProtocolError("frame length above 2^63");
                    }
                }
                listener.onActivity();
                if (opcode >= CLOSE) {
                    if (!fin || length > 125) {
                        throw new ProtocolError("control frame fragmented or longer than 125 bytes");
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    if (opcode == PING) {
                        send(PONG, payload);
                    } else if (opcode == CLOSE) {
                        int code = length >= 2 ? (payload[0] & 0xFF) << 8 | (payload[1] & 0xFF) : 1005;
                        String reason = length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)
                                : "";
                        closeQuietly(code == 1005 ? NORMAL : code);
                        abort();
                        listener.onClose(code, reason);
                        return;
                    } else if (opcode != PONG) {
                        throw new ProtocolError("unknown control opcode " + opcode);
                    }
                    continue;
                }
                if (opcode == CONTINUATION ? messageType < 0 : (opcode != TEXT && opcode != BINARY) || messageType >= 0) {
                    throw new ProtocolError("unexpected data frame (opcode " + opcode + ")");
                }
                if (opcode != CONTINUATION) {
                    messageType = opcode;
                    messageBytes = 0;
                    message.reset();
                }
                messageBytes += length;
                if (messageBytes > maxMessageBytes) {
                    in.skipNBytes(length); // not kept: the message is refused when it ends
                } else {
                    byte[] part = new byte[(int) length];
                    in.readFully(part);
                    message.write(part);
                }
                if (fin) {
                    if (messageBytes > maxMessageBytes) {
                        listener.onTooLarge(messageBytes, maxMessageBytes);
                    } else if (messageType == TEXT) {
                        listener.onText(message.toString(StandardCharsets.UTF_8));
                    } else {
                        listener.onBinary(message.toByteArray());
                    }
                    if (message.size() > 64 * 1024) {
                        message = new ByteArrayOutputStream(); // a large message's buffer is not kept
                    }
                    messageType = -1;
                }
            }
        } catch (ProtocolError e) {
            closeQuietly(PROTOCOL_ERROR);
            abort();
            listener.onError(e);
        } catch (IOException e) {
            abort();
            listener.onError(e);
        }
    }

    private static final class ProtocolError extends IOException {
        private static final long serialVersionUID = 1L;

        ProtocolError(String message) {
            super("WebSocket protocol error: " + message);
        }
    }

    // ---- writing ----

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    void sendPing(byte[] payload) throws IOException {
        send(PING, payload);
    }

    /** A close frame, unless the lock is not free within a moment (a blocked write): then nothing is sent. */
    void closeQuietly(int code) {
        try {
            if (!closeSent && writing.tryLock(100, TimeUnit.MILLISECONDS)) {
                try {
                    if (!closeSent) {
                        closeSent = true;
                        write(CLOSE, new byte[] {(byte) (code >> 8), (byte) code});
                    }
                } finally {
                    writing.unlock();
                }
            }
        } catch (IOException e) {
            // the socket is going anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(int opcode, byte[] payload) throws IOException {
        writing.lock();
        try {
            if (closeSent) {
                throw new IOException("WebSocket closing");
            }
            write(opcode, payload);
        } finally {
            writing.unlock();
        }
    }

    /** One final, masked frame in one write (a TLS record or a few, not one per header byte). */
    private void write(int opcode, byte[] payload) throws IOException {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + n];
        frame[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[1] = (byte) (0x80 | n);
        } else if (n < 65_536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (n >> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >> (56 - 8 * i));
            }
        }
        byte[] mask = new byte[4];
        masks.nextBytes(mask);
        System.arraycopy(mask, 0, frame, header, 4);
        for (int i = 0; i < n; i++) {
            frame[header + 4 + i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        writeStarted = Math.max(1, System.nanoTime());
        try {
            out.write(frame);
            out.flush();
        } finally {
            writeStarted = 0;
        }
    }

    /** How long the write under way has taken, 0 if none is. */
    long writingForNanos() {
        long started = writeStarted;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    /** Closes the socket: a blocked read or write fails at once. */
    void abort() {
        try {
            tcp.close();
        } catch (IOException e) {
            // closed anyway
        }
    }

    boolean isClosed() {
        return tcp.isClosed();
    }
}
