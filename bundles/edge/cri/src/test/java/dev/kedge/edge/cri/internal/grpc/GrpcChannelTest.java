package dev.kedge.edge.cri.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.kedge.edge.cri.internal.proto.Container;
import dev.kedge.edge.cri.internal.proto.ContainerConfig;
import dev.kedge.edge.cri.internal.proto.ContainerFilter;
import dev.kedge.edge.cri.internal.proto.ContainerStatusRequest;
import dev.kedge.edge.cri.internal.proto.ContainerStatusResponse;
import dev.kedge.edge.cri.internal.proto.CreateContainerRequest;
import dev.kedge.edge.cri.internal.proto.CreateContainerResponse;
import dev.kedge.edge.cri.internal.proto.KeyValue;
import dev.kedge.edge.cri.internal.proto.ListContainersRequest;
import dev.kedge.edge.cri.internal.proto.ListContainersResponse;
import dev.kedge.edge.cri.internal.proto.RuntimeServiceGrpc;
import dev.kedge.edge.cri.internal.proto.VersionRequest;
import dev.kedge.edge.cri.internal.proto.VersionResponse;
import dev.kedge.edge.cri.CallStats;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;

/**
 * Kedge's gRPC client against an independent server, grpc-java on Netty, on a unix socket: answers and statuses,
 * flow control both ways, deadlines, concurrent calls and connection reuse. Real containerd is the other peer
 * (CriRuntimeContainerdTest).
 */
class GrpcChannelTest {
    private static final String VERSION = "/runtime.v1.RuntimeService/Version";
    private static final String LIST = "/runtime.v1.RuntimeService/ListContainers";
    private static final String CREATE = "/runtime.v1.RuntimeService/CreateContainer";
    private static final String STATUS = "/runtime.v1.RuntimeService/ContainerStatus";

    private final EventLoopGroup loop = new EpollEventLoopGroup(1);
    private Path socket;
    private Server server;
    private GrpcChannel channel;

    @BeforeEach
    void start() throws Exception {
        socket = Files.createTempDirectory("kgrpc").resolve("peer.sock");
        server = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(loop).workerEventLoopGroup(loop)
                .withChildOption(ChannelOption.SO_KEEPALIVE, null)
                .maxInboundMessageSize(8 * 1024 * 1024)
                .addService(new Peer())
                .build().start();
        channel = new GrpcChannel(socket, "unix://" + socket);
    }

    @AfterEach
    void stop() throws Exception {
        channel.close();
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
    }

    @Test
    void answersOnOneReusedConnection() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals("v" + i, version("v" + i).getRuntimeVersion());
        }
        assertEquals(1, channel.connectionsOpened(), "calls one after another share a connection");
    }

    @Test
    void aStatusComesBackWithItsCodeAndDecodedMessage() {
        GrpcException e = assertThrows(GrpcException.class, () -> channel.unary(STATUS,
                ContainerStatusRequest.newBuilder().setContainerId("c1").build().toByteArray(), 5_000));
        assertEquals("NOT_FOUND", e.code());
        assertEquals("container \"c1\" not found: 100% gone, ü", e.getMessage());
        assertEquals("v", assertDoesNotFail(() -> version("v")).getRuntimeVersion(), "the connection stays usable");
        assertEquals(1, channel.connectionsOpened());
        assertEquals(new CallStats(2, 1, 0, 0, 0), channel.stats(), "the runtime's status is a runtime error");
    }

    @Test
    void aLargeAnswerCrossesTheFlowControlWindows() throws Exception {
        // about 3 MB: beyond HTTP/2's initial 64 KiB windows and grpc-java's frames of 16 KiB
        byte[] answer = channel.unary(LIST, ListContainersRequest.newBuilder()
                .setFilter(ContainerFilter.newBuilder().setId("many:6000")).build().toByteArray(), 20_000);
        ListContainersResponse r = ListContainersResponse.parseFrom(answer);
        assertEquals(6000, r.getContainersCount());
        assertEquals("c5999", r.getContainers(5999).getId());
    }

    @Test
    void aLargeRequestWaitsForTheServersWindow() throws Exception {
        // 3 MB of environment: more than grpc-java's 1 MiB window, so the client must wait for WINDOW_UPDATEs
        ContainerConfig.Builder config = ContainerConfig.newBuilder();
        for (int i = 0; i < 3000; i++) {
            config.addEnvs(KeyValue.newBuilder().setKey("K" + i).setValue("x".repeat(1000)));
        }
        CreateContainerRequest req = CreateContainerRequest.newBuilder().setPodSandboxId("s").setConfig(config)
                .build();
        byte[] answer = channel.unary(CREATE, req.toByteArray(), 20_000);
        assertEquals("envs=3000 bytes=" + req.getSerializedSize(),
                CreateContainerResponse.parseFrom(answer).getContainerId());
    }

    @Test
    void aDeadlineEndsTheCallAndTheNextCallWorks() throws Exception {
        long start = System.nanoTime();
        GrpcException e = assertThrows(GrpcException.class, () -> channel.unary(VERSION,
                VersionRequest.newBuilder().setVersion("slow").build().toByteArray(), 300));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("DEADLINE_EXCEEDED", e.code());
        assertTrue(ms >= 250 && ms < 3_000, ms + " ms");
        assertEquals("after", version("after").getRuntimeVersion());
        assertEquals(2, channel.connectionsOpened(), "the timed-out call's connection was closed");
        assertEquals(new CallStats(2, 0, 0, 1, 0), channel.stats());
    }

    @Test
    void concurrentCallsEachGetAnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                String v = "c" + i;
                answers.add(pool.submit(() -> version(v).getRuntimeVersion()));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals("c" + i, answers.get(i).get(20, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(channel.connectionsOpened() <= 6 + 120 / 2, "connections are reused: "
                + channel.connectionsOpened());
    }

    @Test
    void aMissingSocketIsUnavailableAndNamesTheEndpoint() throws Exception {
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
        GrpcException e = assertThrows(GrpcException.class, () -> version("x"));
        assertEquals("UNAVAILABLE", e.code());
        assertTrue(e.getMessage().contains("unix://" + socket), e.getMessage());
        assertEquals(new CallStats(1, 0, 0, 0, 1), channel.stats());
    }

    /** A peer that is no HTTP/2 server (an HTTP/1 answer): a protocol error, counted as such, never a hang. */
    @Test
    void aPeerSpeakingSomethingElseIsAProtocolErrorAndCounted() throws Exception {
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        Files.deleteIfExists(socket);
        try (java.nio.channels.ServerSocketChannel junk = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            junk.bind(java.net.UnixDomainSocketAddress.of(socket));
            Thread peer = new Thread(() -> {
                try (java.nio.channels.SocketChannel c = junk.accept()) {
                    c.write(java.nio.ByteBuffer.wrap(("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"
                            + "x".repeat(64)).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
                    Thread.sleep(2_000);
                } catch (Exception e) {
                    // the client closed first
                }
            }, "junk-peer");
            peer.start();
            GrpcException e = assertThrows(GrpcException.class, () -> channel.unary(VERSION, new byte[0], 5_000));
            assertEquals("INTERNAL", e.code(), e.getMessage());
            assertEquals(new CallStats(1, 0, 1, 0, 0), channel.stats());
            peer.join(5_000);
        }
    }

    @Test
    void anUnknownMethodIsUnimplemented() {
        GrpcException e = assertThrows(GrpcException.class,
                () -> channel.unary("/runtime.v1.RuntimeService/Nope", new byte[0], 5_000));
        assertEquals("UNIMPLEMENTED", e.code());
    }

    private VersionResponse version(String v) throws Exception {
        return VersionResponse.parseFrom(channel.unary(VERSION,
                VersionRequest.newBuilder().setVersion(v).build().toByteArray(), 5_000));
    }

    private interface Call<T> {
        T run() throws Exception;
    }

    private static <T> T assertDoesNotFail(Call<T> call) {
        try {
            return call.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The peer's answers: echo, slow, many, sizes and a status with a message that needs percent-encoding. */
    private static final class Peer extends RuntimeServiceGrpc.RuntimeServiceImplBase {
        @Override
        public void version(VersionRequest request, StreamObserver<VersionResponse> answer) {
            if (request.getVersion().equals("slow")) {
                // never answers; the client's deadline (sent as grpc-timeout) ends the call
                return;
            }
            answer.onNext(VersionResponse.newBuilder().setRuntimeName("peer").setRuntimeVersion(request.getVersion())
                    .build());
            answer.onCompleted();
        }

        @Override
        public void listContainers(ListContainersRequest request, StreamObserver<ListContainersResponse> answer) {
            int n = Integer.parseInt(request.getFilter().getId().substring("many:".length()));
            ListContainersResponse.Builder r = ListContainersResponse.newBuilder();
            for (int i = 0; i < n; i++) {
                r.addContainers(Container.newBuilder().setId("c" + i).setPodSandboxId("s".repeat(64))
                        .putLabels("io.kubernetes.pod.name", "p".repeat(400)));
            }
            answer.onNext(r.build());
            answer.onCompleted();
        }

        @Override
        public void createContainer(CreateContainerRequest request, StreamObserver<CreateContainerResponse> answer) {
            answer.onNext(CreateContainerResponse.newBuilder().setContainerId("envs="
                    + request.getConfig().getEnvsCount() + " bytes=" + request.getSerializedSize()).build());
            answer.onCompleted();
        }

        @Override
        public void containerStatus(ContainerStatusRequest request,
                StreamObserver<ContainerStatusResponse> answer) {
            answer.onError(Status.NOT_FOUND.withDescription("container \"" + request.getContainerId()
                    + "\" not found: 100% gone, ü").asRuntimeException());
        }
    }
}
