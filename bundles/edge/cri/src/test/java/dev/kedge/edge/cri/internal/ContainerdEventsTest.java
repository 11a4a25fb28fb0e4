package dev.kedge.edge.cri.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeEvents;
import dev.kedge.edge.cri.internal.proto.RuntimeServiceGrpc;
import dev.kedge.edge.cri.internal.wire.ProtoReader;
import dev.kedge.edge.cri.internal.wire.ProtoWriter;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

/**
 * The event subscription against grpc-java's server (a second HTTP/2 implementation besides containerd's Go one):
 * the request's filter, envelopes in any framing, the end of the stream, and a runtime without the service
 * (CRI-O answers UNIMPLEMENTED). Against containerd itself: {@code CriRuntimeContainerdTest}.
 */
@Timeout(20)
class ContainerdEventsTest {
    private final EventLoopGroup serverLoop = new EpollEventLoopGroup(1);
    private final BlockingQueue<StreamObserver<byte[]>> subscribers = new LinkedBlockingQueue<>();
    private final List<String> filters = new ArrayList<>();
    private Path socket;
    private Server server;
    private CriRuntimeComponent runtime;

    @AfterEach
    void stop() throws Exception {
        if (runtime != null) {
            runtime.deactivate();
        }
        if (server != null) {
            server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        }
        serverLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
        if (socket != null) { // the socket and the temporary folder it was made in
            Files.deleteIfExists(socket);
            Files.deleteIfExists(socket.getParent());
        }
    }

    @Test
    void envelopesArriveAsTopicsInOrderAndTheEndOfTheStreamIsAnError() throws Exception {
        start(true);
        RuntimeEvents events = runtime.subscribeEvents();
        StreamObserver<byte[]> out = subscribers.poll(5, TimeUnit.SECONDS);
        assertEquals(List.of(ContainerdEvents.FILTER), filters, "the runtime filters by namespace and topic");
        assertEquals(List.of(), events.poll());

        out.onNext(envelope("/tasks/start"));
        out.onNext(envelope("/tasks/exit"));
        out.onNext(envelope("x".repeat(40_000))); // larger than an HTTP/2 frame: split across DATA frames
        List<String> topics = until(events, 3);
        assertEquals(List.of("/tasks/start", "/tasks/exit", "x".repeat(40_000)), topics);

        out.onCompleted(); // an OK end is still an end: the owner lists and subscribes again
        RuntimeCallException e = failure(events);
        assertTrue(e.unavailable(), e.getMessage());
        assertThrows(RuntimeCallException.class, events::poll, "ended for good");
    }

    @Test
    void aRuntimeWithoutTheEventServiceAnswersUnimplementedAtAPoll() throws Exception {
        start(false);
        RuntimeEvents events = runtime.subscribeEvents();
        assertEquals("UNIMPLEMENTED", failure(events).code());
    }

    @Test
    void theRuntimeGoingAwayEndsTheSubscription() throws Exception {
        start(true);
        RuntimeEvents events = runtime.subscribeEvents();
        subscribers.poll(5, TimeUnit.SECONDS).onError(Status.INTERNAL.withDescription("shutting down")
                .asRuntimeException());
        RuntimeCallException e = failure(events);
        assertEquals("INTERNAL", e.code(), e.getMessage());

        RuntimeEvents again = runtime.subscribeEvents();
        server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
        server = null;
        RuntimeCallException gone = failure(again); // grpc-java resets its streams as it stops; a dead process: EOF
        assertTrue(List.of("CANCELLED", "UNAVAILABLE").contains(gone.code()), gone.getMessage());
        assertThrows(RuntimeCallException.class, runtime::subscribeEvents, "nobody listens on the socket");
    }

    @Test
    void closingTheRuntimeServiceEndsItsSubscriptions() throws Exception {
        start(true);
        RuntimeEvents events = runtime.subscribeEvents();
        subscribers.poll(5, TimeUnit.SECONDS);
        runtime.deactivate();
        runtime = null;
        assertTrue(failure(events).unavailable());
    }

    private static List<String> until(RuntimeEvents events, int n) throws InterruptedException {
        List<String> topics = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (topics.size() < n && System.nanoTime() < end) {
            topics.addAll(events.poll());
            Thread.sleep(10);
        }
        return topics;
    }

    private static RuntimeCallException failure(RuntimeEvents events) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            try {
                events.poll();
            } catch (RuntimeCallException e) {
                return e;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the subscription did not end");
    }

    /** containerd's Envelope: timestamp 1, namespace 2, topic 3, event 4. */
    private static byte[] envelope(String topic) {
        return new ProtoWriter().string(2, ContainerdEvents.CRI_NAMESPACE).string(3, topic).toByteArray();
    }

    private void start(boolean withEvents) throws IOException {
        socket = Files.createTempDirectory("kcri-ev").resolve("cri.sock");
        NettyServerBuilder b = NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollServerDomainSocketChannel.class)
                .bossEventLoopGroup(serverLoop).workerEventLoopGroup(serverLoop)
                .addService(new RuntimeServiceGrpc.RuntimeServiceImplBase() {
                });
        if (withEvents) {
            b.addService(eventService());
        }
        server = b.build().start();
        runtime = new CriRuntimeComponent(TestConfigs.config("unix://" + socket));
    }

    private ServerServiceDefinition eventService() {
        MethodDescriptor<byte[], byte[]> subscribe = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.SERVER_STREAMING)
                .setFullMethodName(ContainerdEvents.SUBSCRIBE.substring(1))
                .setRequestMarshaller(RawBytes.MARSHALLER).setResponseMarshaller(RawBytes.MARSHALLER).build();
        return ServerServiceDefinition.builder("containerd.services.events.v1.Events")
                .addMethod(subscribe, ServerCalls.asyncServerStreamingCall((request, out) -> {
                    filters.addAll(strings(request));
                    subscribers.add(out);
                })).build();
    }

    private static List<String> strings(byte[] request) {
        List<String> out = new ArrayList<>();
        try {
            ProtoReader r = new ProtoReader(request);
            while (r.next()) {
                out.add(r.string());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
