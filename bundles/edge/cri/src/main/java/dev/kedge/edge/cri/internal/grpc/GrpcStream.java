package dev.kedge.edge.cri.internal.grpc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A server-streaming call on a connection of its own, read by its owner's polls: no thread waits on it. The runtime
 * sends its headers with the first message, so a call it rejects (UNIMPLEMENTED) shows at the first poll after the
 * answer came, not at opening.
 */
public final class GrpcStream implements AutoCloseable {
    /** Frames read per poll at most: a flood of events is read over several polls, each one short. */
    static final int MAX_FRAMES_PER_POLL = 256;

    private final GrpcChannel channel;
    private final Http2Connection connection;
    private final int stream;
    private final int maxMessageBytes;
    private final Map<String, String> headers = new HashMap<>();
    private ByteArrayOutputStream data = new ByteArrayOutputStream();
    private GrpcException ended;

    GrpcStream(GrpcChannel channel, Http2Connection connection, int stream, int maxMessageBytes) {
        this.channel = channel;
        this.connection = connection;
        this.stream = stream;
        this.maxMessageBytes = maxMessageBytes;
    }

    /**
     * Hands every whole message that arrived since the last poll to {@code sink}, without waiting, and returns how
     * many. Once the stream has ended (the runtime closed it or went away, or this stream was closed), every poll
     * throws the reason: the runtime's status, {@code UNAVAILABLE} for an OK end or a lost connection.
     */
    public synchronized int poll(Consumer<byte[]> sink) throws GrpcException {
        if (ended != null) {
            throw ended;
        }
        boolean open;
        try {
            open = connection.pollStream(stream, data, headers, MAX_FRAMES_PER_POLL);
        } catch (IOException | GrpcException e) {
            throw end(e instanceof GrpcException g ? g
                    : new GrpcException("UNAVAILABLE", "the stream's connection broke: " + e.getMessage(), e));
        }
        int n;
        try {
            n = messages(sink);
        } catch (GrpcException e) {
            throw end(e);
        }
        if (!open) {
            GrpcException status = GrpcChannel.status(headers);
            throw end(status != null ? status : new GrpcException("UNAVAILABLE", "the runtime ended the stream"));
        }
        return n;
    }

    /** Cuts the whole messages off the received bytes; a partial one waits for the next poll. */
    private int messages(Consumer<byte[]> sink) throws GrpcException {
        if (data.size() < GrpcChannel.PREFIX_BYTES) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(data.toByteArray());
        int n = 0;
        while (b.remaining() >= GrpcChannel.PREFIX_BYTES) {
            int p = b.position();
            if (b.get(p) != 0) {
                throw new GrpcException("INTERNAL", "compressed message, although none was offered");
            }
            int length = b.getInt(p + 1);
            if (length < 0 || length > maxMessageBytes) {
                throw new GrpcException("RESOURCE_EXHAUSTED", "stream message of " + Integer.toUnsignedString(length)
                        + " bytes, above " + maxMessageBytes);
            }
            if (b.remaining() < GrpcChannel.PREFIX_BYTES + length) {
                break;
            }
            byte[] message = new byte[length];
            b.get(p + GrpcChannel.PREFIX_BYTES, message);
            b.position(p + GrpcChannel.PREFIX_BYTES + length);
            sink.accept(message);
            n++;
        }
        data = new ByteArrayOutputStream(Math.max(32, b.remaining()));
        data.write(b.array(), b.position(), b.remaining());
        return n;
    }

    /** The first reason stays; a failure is counted by the channel, a close by its owner is not. */
    private GrpcException end(GrpcException why) {
        if (ended == null) {
            ended = why;
            connection.close();
            channel.ended(this);
            channel.count(why);
        }
        return ended;
    }

    /** Ends the call (closing its connection cancels it at the runtime); idempotent. */
    @Override
    public synchronized void close() {
        if (ended == null) {
            ended = new GrpcException("UNAVAILABLE", "the stream was closed");
            connection.close();
            channel.ended(this);
        }
    }
}
