package dev.kedge.edge.cri.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client's HTTP/2 handling against a scripted peer speaking raw frames: what a real runtime sends only rarely
 * (pings, GOAWAY, stream resets, HPACK's dynamic table across answers) and what it must never send (malformed
 * frames), each ending in a clear status and a connection that is no longer used.
 */
class Http2ConnectionTest {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final String METHOD = "/runtime.v1.RuntimeService/Version";

    private final BlockingQueue<Object> seen = new ArrayBlockingQueue<>(64);
    private Path socket;
    private ServerSocketChannel server;
    private Thread serverThread;
    private GrpcChannel channel;

    /** What the scripted peer does with the n-th request (n counts from 0 over all connections). */
    private interface Script {
        void answer(int n, int stream, Peer peer) throws IOException;
    }

    @AfterEach
    void stop() throws Exception {
        if (channel != null) {
            channel.close();
        }
        server.close();
        serverThread.join(2000);
        Files.deleteIfExists(socket);
    }

    @Test
    void aPingWhileIdleIsAnsweredAndTheConnectionReused() throws Exception {
        start((n, stream, peer) -> {
            peer.ok(stream, "v" + n, n == 0);
            if (n == 0) {
                peer.frame(Frame.PING, 0, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        });
        assertArrayEquals(message("v0"), call());
        Thread.sleep(200);
        assertArrayEquals(message("v1"), call(), "the second answer uses the first's dynamic table entry");
        assertEquals(1, channel.connectionsOpened());
        Object ack = seen.poll(2, TimeUnit.SECONDS);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, (byte[]) ack, "PING acknowledged with its payload");
    }

    @Test
    void aRefusedStreamIsUnavailable() throws Exception {
        start((n, stream, peer) -> {
            if (n == 0) {
                peer.frame(Frame.RST_STREAM, 0, stream, ByteBuffer.allocate(4).putInt(0x7).array());
            } else {
                peer.ok(stream, "after", true);
            }
        });
        GrpcException e = assertThrows(GrpcException.class, this::call);
        assertEquals("UNAVAILABLE", e.code());
        assertArrayEquals(message("after"), call());
        assertEquals(2, channel.connectionsOpened(), "a reset call's connection is not reused");
    }

    @Test
    void goAwayBeforeTheStreamIsUnavailableAndTheNextCallReconnects() throws Exception {
        start((n, stream, peer) -> {
            if (n == 0) {
                peer.frame(Frame.GOAWAY, 0, 0, ByteBuffer.allocate(8).putInt(0).putInt(0).array());
            } else {
                peer.ok(stream, "fresh", true);
            }
        });
        GrpcException e = assertThrows(GrpcException.class, this::call);
        assertEquals("UNAVAILABLE", e.code());
        assertTrue(e.getMessage().contains("GOAWAY"), e.getMessage());
        assertArrayEquals(message("fresh"), call());
        assertEquals(2, channel.connectionsOpened());
    }

    @Test
    void aMalformedFrameIsAProtocolErrorAndTheConnectionIsDropped() throws Exception {
        start((n, stream, peer) -> {
            if (n == 0) {
                peer.frame(Frame.PING, 0, 0, new byte[7]);
            } else if (n == 1) {
                peer.frame(Frame.DATA, 0, stream, new byte[Frame.DEFAULT_MAX_FRAME_SIZE + 1]);
            } else {
                peer.ok(stream, "ok", true);
            }
        });
        GrpcException ping = assertThrows(GrpcException.class, this::call);
        assertEquals("INTERNAL", ping.code());
        assertTrue(ping.getMessage().startsWith("HTTP/2 protocol error"), ping.getMessage());
        GrpcException big = assertThrows(GrpcException.class, this::call);
        assertEquals("INTERNAL", big.code());
        assertTrue(big.getMessage().contains("above the announced maximum"), big.getMessage());
        assertArrayEquals(message("ok"), call());
        assertEquals(3, channel.connectionsOpened());
    }

    @Test
    void trailersOnlyCarryTheStatus() throws Exception {
        start((n, stream, peer) -> {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.write(0x88); // :status 200
            literal(block, "grpc-status", "5");
            literal(block, "grpc-message", "no such container %E2%9C%93");
            peer.frame(Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, stream, block.toByteArray());
        });
        GrpcException e = assertThrows(GrpcException.class, this::call);
        assertEquals("NOT_FOUND", e.code());
        assertEquals("no such container \u2713", e.getMessage());
        assertEquals(1, channel.connectionsOpened(), "a status is a clean end: the connection is kept");
    }

    private byte[] call() throws GrpcException {
        return channel.unary(METHOD, new byte[] {42}, 3_000);
    }

    private static byte[] message(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void literal(ByteArrayOutputStream out, String name, String value) {
        out.write(0x00);
        Hpack.writeInt(out, 0, 7, name.length());
        out.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
        Hpack.writeInt(out, 0, 7, value.length());
        out.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void start(Script script) throws IOException {
        socket = Files.createTempDirectory("kh2").resolve("peer.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        serverThread = new Thread(() -> serve(script), "h2-peer");
        serverThread.setDaemon(true);
        serverThread.start();
        channel = new GrpcChannel(socket, "unix://" + socket);
    }

    /** One connection at a time, as the client under test uses them one after another. */
    private void serve(Script script) {
        int n = 0;
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                Peer peer = new Peer(c);
                peer.expectPreface();
                peer.frame(Frame.SETTINGS, 0, 0, new byte[0]);
                while (true) {
                    int[] header = peer.readFrame();
                    byte[] payload = peer.lastPayload;
                    if (header[0] == Frame.PING && (header[1] & Frame.ACK) != 0) {
                        seen.offer(payload);
                    } else if (header[0] == Frame.DATA && (header[1] & Frame.END_STREAM) != 0) {
                        script.answer(n++, header[2], peer);
                    }
                }
            } catch (IOException e) {
                // the client closed the connection, or the test ended
            }
        }
    }

    /** Raw frames on one connection. */
    private static final class Peer {
        private final SocketChannel c;
        byte[] lastPayload;

        Peer(SocketChannel c) {
            this.c = c;
        }

        void expectPreface() throws IOException {
            byte[] preface = read(PREFACE.length);
            if (!java.util.Arrays.equals(PREFACE, preface)) {
                throw new IOException("no preface");
            }
        }

        int[] readFrame() throws IOException {
            ByteBuffer h = ByteBuffer.wrap(read(9));
            int length = ((h.get() & 0xff) << 16) | ((h.get() & 0xff) << 8) | (h.get() & 0xff);
            int type = h.get() & 0xff;
            int flags = h.get() & 0xff;
            int stream = h.getInt() & Integer.MAX_VALUE;
            lastPayload = read(length);
            return new int[] {type, flags, stream};
        }

        /** :status 200 and content-type as literals with incremental indexing the first time, indexed after. */
        void ok(int stream, String text, boolean first) throws IOException {
            ByteArrayOutputStream headers = new ByteArrayOutputStream();
            headers.write(0x88);
            if (first) {
                headers.write(0x40 | 31); // content-type, indexed name, value added to the dynamic table
                Hpack.writeInt(headers, 0, 7, "application/grpc".length());
                headers.writeBytes("application/grpc".getBytes(StandardCharsets.US_ASCII));
            } else {
                headers.write(0x80 | 62); // the dynamic table's newest entry
            }
            frame(Frame.HEADERS, Frame.END_HEADERS, stream, headers.toByteArray());
            byte[] body = text.getBytes(StandardCharsets.UTF_8);
            frame(Frame.DATA, 0, stream, ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(body.length)
                    .put(body).array());
            ByteArrayOutputStream trailers = new ByteArrayOutputStream();
            literal(trailers, "grpc-status", "0");
            frame(Frame.HEADERS, Frame.END_HEADERS | Frame.END_STREAM, stream, trailers.toByteArray());
        }

        void frame(int type, int flags, int stream, byte[] payload) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(9 + payload.length);
            b.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
            b.put((byte) type).put((byte) flags).putInt(stream).put(payload).flip();
            while (b.hasRemaining()) {
                c.write(b);
            }
        }

        private byte[] read(int n) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(n);
            while (b.hasRemaining()) {
                if (c.read(b) < 0) {
                    throw new IOException("closed");
                }
            }
            return b.array();
        }
    }
}
