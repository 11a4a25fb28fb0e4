package dev.kedge.edge.cri.internal;

import java.nio.file.Path;
import java.time.Duration;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;

import dev.kedge.edge.cri.CallStats;
import dev.kedge.edge.cri.internal.grpc.GrpcChannel;
import dev.kedge.edge.cri.internal.grpc.GrpcException;

/**
 * The runtime and image services (one channel when they share a socket): CRI's protobuf messages over Kedge's
 * small gRPC client. No thread of its own; each call runs on its caller's thread.
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

    <T> T runtime(String call, MessageLite request, Parser<T> answer, Duration deadline) throws GrpcException {
        return parse(runtimeChannel, answer,
                runtimeChannel.unary(RUNTIME_SERVICE + call, request.toByteArray(), deadline.toMillis()));
    }

    <T> T image(String call, MessageLite request, Parser<T> answer, Duration deadline) throws GrpcException {
        return parse(imageChannel, answer,
                imageChannel.unary(IMAGE_SERVICE + call, request.toByteArray(), deadline.toMillis()));
    }

    private static <T> T parse(GrpcChannel channel, Parser<T> parser, byte[] answer) throws GrpcException {
        try {
            return parser.parseFrom(answer);
        } catch (InvalidProtocolBufferException e) {
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
