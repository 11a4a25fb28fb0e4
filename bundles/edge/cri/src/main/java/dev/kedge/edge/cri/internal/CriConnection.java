package dev.kedge.edge.cri.internal;

import java.nio.file.Path;
import java.time.Duration;

import dev.kedge.edge.cri.CallStats;
import dev.kedge.edge.cri.internal.grpc.GrpcChannel;
import dev.kedge.edge.cri.internal.grpc.GrpcException;
import dev.kedge.edge.cri.internal.wire.Decoder;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.WireFormatException;

/**
 * The runtime and image services (one channel when they share a socket): CRI's protobuf messages (Kedge's own
 * codec, see {@code internal.wire}) over Kedge's small gRPC client. No thread of its own; each call runs on its
 * caller's thread.
 */
final class CriConnection implements AutoCloseable {
    static final String RUNTIME_SERVICE = "/runtime.v1.RuntimeService/";
    static final String IMAGE_SERVICE = "/runtime.v1.ImageService/";

    private final GrpcChannel runtimeChannel;
    private final GrpcChannel imageChannel;

    CriConnection(Path runtimeSocket, String runtimeEndpoint, Path imageSocket, String imageEndpoint) {
        this.runtimeChannel = new GrpcChannel(runtimeSocket, runtimeEndpoint);
        this.imageChannel = imageSocket.equals(runtimeSocket) ? runtimeChannel
                : new GrpcChannel(imageSocket, imageEndpoint);
    }

    <T> T runtime(String call, byte[] request, Decoder<T> answer, Duration deadline) throws GrpcException {
        return decode(runtimeChannel, answer,
                runtimeChannel.unary(RUNTIME_SERVICE + call, request, deadline.toMillis()));
    }

    <T> T image(String call, byte[] request, Decoder<T> answer, Duration deadline) throws GrpcException {
        return decode(imageChannel, answer, imageChannel.unary(IMAGE_SERVICE + call, request, deadline.toMillis()));
    }

    /** containerd's events, on the runtime's socket. */
    ContainerdEvents subscribeEvents() throws GrpcException {
        return ContainerdEvents.subscribe(runtimeChannel);
    }

    /** A malformed answer counts as a protocol error of the channel, like a broken frame. */
    private static <T> T decode(GrpcChannel channel, Decoder<T> decoder, byte[] answer) throws GrpcException {
        try {
            return decoder.decode(new ProtoReader(answer));
        } catch (WireFormatException e) {
            GrpcException failure = GrpcChannel.malformed(e);
            channel.count(failure);
            throw failure;
        }
    }

    CallStats stats() {
        return imageChannel == runtimeChannel ? runtimeChannel.stats()
                : runtimeChannel.stats().plus(imageChannel.stats());
    }

    @Override
    public void close() {
        runtimeChannel.close();
        imageChannel.close();
    }
}
