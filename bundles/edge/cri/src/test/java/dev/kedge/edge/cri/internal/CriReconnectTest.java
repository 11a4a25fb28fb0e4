package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.internal.proto.RuntimeServiceGrpc;
import dev.kedge.edge.cri.internal.proto.VersionRequest;
import dev.kedge.edge.cri.internal.proto.VersionResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;

/**
 * A runtime that goes away and comes back (containerd restart) on the same socket: the service fails fast while
 * it is gone and the first call after it returns succeeds, without a new component. The runtime here is a tiny
 * in-JVM CRI server answering Version: restarting the shared containerd is not a test's business.
 */
class CriReconnectTest {
    private final EventLoopGroup serverLoop = new EpollEventLoopGroup(1);
    private Path socket;
    private Server server;

    @AfterEach
    void stop() throws Exception {
        stopServer();
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
    }

    @Test
    void recoversWhenTheRuntimeReturns() throws Exception {
        socket = Files.createTempDirectory("kcri").resolve("cri.sock");
        CriRuntimeComponent runtime = new CriRuntimeComponent(TestConfigs.config("unix://" + socket));
        try {
            RuntimeCallException down = assertThrows(RuntimeCallException.class, runtime::version);
            assertTrue(down.unavailable(), down.getMessage());
            assertTrue(down.getMessage().contains(socket.toString()), down.getMessage());

            startServer("1.0");
            assertEquals("1.0", runtime.version().runtimeVersion(), "first call after the runtime came up");

            stopServer();
            long start = System.nanoTime();
            assertTrue(assertThrows(RuntimeCallException.class, runtime::version).unavailable());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
            // a second failure while down: the channel is now backing off
            assertTrue(assertThrows(RuntimeCallException.class, runtime::version).unavailable());

            startServer("2.0");
            assertEquals("2.0", runtime.version().runtimeVersion(), "first call after the runtime restarted");
        } finally {
            runtime.deactivate();
        }
    }

    private void startServer(String version) throws IOException {
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(serverLoop).workerEventLoopGroup(serverLoop)
                .withChildOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.SO_KEEPALIVE, null)
                .addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
                    @Override
                    public void version(VersionRequest request, StreamObserver<VersionResponse> answer) {
                        answer.onNext(VersionResponse.newBuilder().setVersion("0.1.0").setRuntimeName("fake")
                                .setRuntimeVersion(version).setRuntimeApiVersion("v1").build());
                        answer.onCompleted();
                    }
                })
                .build().start();
    }

    private void stopServer() throws Exception {
        if (server != null) {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
            server = null;
            Files.deleteIfExists(socket);
        }
    }
}
