package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.internal.proto.ListContainersResponse;
import dev.kedge.edge.cri.internal.proto.VersionResponse;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;

/**
 * A runtime whose answers are no valid CRI messages (grpc-java serving raw bytes): each call fails at once with a
 * RuntimeCallException naming the call, counted as a protocol error, and the next good answer is read as usual.
 */
class CriMalformedAnswerTest {
    private final EventLoopGroup loop = new EpollEventLoopGroup(1);
    /** What the runtime answers to Version and ListContainers. */
    private final AtomicReference<byte[]> answer = new AtomicReference<>(new byte[0]);
    private Path socket;
    private Server server;
    private CriRuntimeComponent runtime;

    @BeforeEach
    void start() throws IOException {
        socket = Files.createTempDirectory("kcri-bad").resolve("cri.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .addService(ServerServiceDefinition.builder("runtime.v1.RuntimeService")
                        .addMethod(raw("Version"), ServerCalls.asyncUnaryCall((request, out) -> {
                            out.onNext(answer.get());
                            out.onCompleted();
                        }))
                        .addMethod(raw("ListContainers"), ServerCalls.asyncUnaryCall((request, out) -> {
                            out.onNext(answer.get());
                            out.onCompleted();
                        }))
                        .build())
                .build().start();
        runtime = new CriRuntimeComponent(TestConfigs.config("unix://" + socket));
    }

    @AfterEach
    void stop() throws Exception {
        runtime.deactivate();
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
        Files.deleteIfExists(socket.getParent()); // the temporary folder it was made in
    }

    @Test
    void malformedAnswersFailTheCallClearlyAndAreCounted() {
        byte[] good = VersionResponse.newBuilder().setRuntimeName("fake").setRuntimeVersion("1.0").build()
                .toByteArray();
        byte[][] bad = {
            {0x12, (byte) 0x80}, // runtime_name's length: truncated varint
            {0x12, 0x10, 'f', 'a'}, // a length past the end
            {0x1B, 0x08, 0x01, 0x1C}, // a group (field 3)
            Arrays.copyOf(good, good.length - 1), // truncated in a string
        };
        for (byte[] b : bad) {
            answer.set(b);
            long start = System.nanoTime();
            RuntimeCallException e = assertThrows(RuntimeCallException.class, runtime::version);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "failed at once");
            assertEquals("Version", e.call());
            assertEquals("INTERNAL", e.code());
            assertTrue(e.getMessage().startsWith("Version: INTERNAL: malformed answer: "), e.getMessage());
        }
        answer.set(ListContainersResponse.newBuilder().addContainers(CriCodecTest.container("c1", 1)).build()
                .toByteArray());
        assertEquals("c1", runtime.listContainers().get(0).id());
        // a container whose metadata (field 3) claims more bytes than the container has
        answer.set(new byte[] {0x0A, 0x04, 0x1A, 0x09, 'x', 'y'});
        RuntimeCallException e = assertThrows(RuntimeCallException.class, runtime::listContainers);
        assertEquals("ListContainers", e.call());
        assertTrue(e.getMessage().contains("goes past the end"), e.getMessage());
        assertEquals(5, runtime.callStats().protocolErrors());

        answer.set(good);
        assertEquals("1.0", runtime.version().runtimeVersion(), "the same connection reads the next good answer");
        assertEquals(7, runtime.callStats().calls());
    }

    private static MethodDescriptor<byte[], byte[]> raw(String method) {
        return MethodDescriptor.<byte[], byte[]>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("runtime.v1.RuntimeService/" + method)
                .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
    }
}
