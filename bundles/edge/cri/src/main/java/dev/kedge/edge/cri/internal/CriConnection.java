package dev.kedge.edge.cri.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.kedge.core.DaemonThreads;
import dev.kedge.edge.cri.internal.proto.ImageServiceGrpc;
import dev.kedge.edge.cri.internal.proto.ImageServiceGrpc.ImageServiceBlockingStub;
import dev.kedge.edge.cri.internal.proto.RuntimeServiceGrpc;
import dev.kedge.edge.cri.internal.proto.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.buffer.UnpooledByteBufAllocator;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;

/**
 * The gRPC channels to the runtime and image sockets (one channel when they are the same socket), all on one
 * epoll event-loop thread, {@code kedge-cri-1}. Built directly on Netty's epoll domain-socket transport: gRPC's
 * ServiceLoader lookups of channel providers and name resolvers do not work across OSGi bundles.
 */
final class CriConnection implements AutoCloseable {
    /** Larger than any ListContainers/ListImages answer of a gateway; containerd caps ExecSync output at 16 MiB. */
    static final int MAX_INBOUND_BYTES = 16 * 1024 * 1024;
    /** How long a call waits for a reconnect after the socket was unreachable; a missing socket fails at once. */
    private static final long RECONNECT_WAIT_MS = 300;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final EventLoopGroup loop;
    private final ManagedChannel runtimeChannel;
    private final ManagedChannel imageChannel;

    CriConnection(Path runtimeSocket, Path imageSocket) {
        this.loop = new EpollEventLoopGroup(1, DaemonThreads.factory("cri"));
        this.runtimeChannel = channel(runtimeSocket);
        this.imageChannel = imageSocket.equals(runtimeSocket) ? runtimeChannel : channel(imageSocket);
    }

    private ManagedChannel channel(Path socket) {
        return NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .eventLoopGroup(loop)
                .channelType(EpollDomainSocketChannel.class)
                // the authority would be the socket path, which is no valid authority; containerd ignores it
                .overrideAuthority("localhost")
                .usePlaintext()
                // gRPC asks for TCP keepalive, which a unix socket does not have (Netty warns at every connect)
                .withOption(ChannelOption.SO_KEEPALIVE, null)
                // a few small calls a second: plain buffers, not the pooled allocator's 4 MiB arena chunks
                .withOption(ChannelOption.ALLOCATOR, UnpooledByteBufAllocator.DEFAULT)
                // callbacks run on the event loop: no gRPC executor threads
                .directExecutor()
                .maxInboundMessageSize(MAX_INBOUND_BYTES)
                .build();
    }

    RuntimeServiceBlockingStub runtime(Duration deadline) {
        nudge(runtimeChannel);
        return RuntimeServiceGrpc.newBlockingStub(runtimeChannel).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    ImageServiceBlockingStub image(Duration deadline) {
        nudge(imageChannel);
        return ImageServiceGrpc.newBlockingStub(imageChannel).withDeadlineAfter(deadline.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * A channel that failed to connect backs off for up to two minutes and fails every call meanwhile. A runtime
     * that restarts is back in a fraction of a second, so each call cuts the backoff short and gives the reconnect
     * a moment: the first call after containerd returns succeeds, a missing socket still fails fast.
     */
    private static void nudge(ManagedChannel channel) {
        ConnectivityState state = channel.getState(true);
        if (state != ConnectivityState.TRANSIENT_FAILURE) {
            return;
        }
        channel.resetConnectBackoff();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RECONNECT_WAIT_MS);
        try {
            while ((state = channel.getState(false)) != ConnectivityState.READY
                    && state != ConnectivityState.SHUTDOWN) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                CountDownLatch changed = new CountDownLatch(1);
                channel.notifyWhenStateChanged(state, changed::countDown);
                changed.await(left, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        runtimeChannel.shutdownNow();
        imageChannel.shutdownNow();
        try {
            runtimeChannel.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            imageChannel.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            loop.shutdownGracefully(0, CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
