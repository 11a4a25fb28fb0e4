package dev.kedge.core.net.internal;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.Lane;
import dev.kedge.core.net.Listening;

/** A listener of the {@link AcceptorImpl}: its key is touched on the selector thread only. */
final class OpenListener implements Listening {
    private static final Logger LOG = LoggerFactory.getLogger(OpenListener.class);
    /** After a failed accept (EMFILE, say): the socket stays ready, so accepting at once again would spin. */
    static final long FAILURE_PAUSE_MS = 100;
    /** Accepts per listener and wake-up: a busy listener does not starve the others. */
    private static final int ACCEPTS_PER_ROUND = 16;

    private final AcceptorImpl acceptor;
    private final String name;
    private final ServerSocketChannel server;
    private final InetSocketAddress address;
    private final Consumer<SocketChannel> onAccept;
    private final Lane lane;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch unregistered = new CountDownLatch(1);
    private volatile Thread handling; // the lane's thread while it runs onAccept
    private SelectionKey key; // selector thread only
    long resumeAt; // selector thread only

    OpenListener(AcceptorImpl acceptor, String name, ServerSocketChannel server, int backlog,
            Consumer<SocketChannel> onAccept) throws IOException {
        this.acceptor = acceptor;
        this.name = name;
        this.server = server;
        this.address = (InetSocketAddress) server.getLocalAddress();
        this.onAccept = onAccept;
        this.lane = DaemonThreads.onDemand(name, 1, backlog);
    }

    void register(Selector selector) {
        if (closed.get()) {
            closeOnSelector(selector);
            return;
        }
        try {
            key = server.register(selector, SelectionKey.OP_ACCEPT, this);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} on {}: cannot accept: {}", name, address, e.toString());
            closed.set(true);
            closeOnSelector(selector);
        }
    }

    void acceptSome() {
        for (int i = 0; i < ACCEPTS_PER_ROUND && key.isValid(); i++) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (IOException | RuntimeException e) {
                if (!closed.get()) {
                    failures.incrementAndGet();
                    LOG.warn("{} on {}: accept failed: {}; pausing {} ms", name, address, e.toString(),
                            FAILURE_PAUSE_MS);
                    pause();
                }
                return;
            }
            if (channel == null) {
                return;
            }
            handOver(channel);
        }
    }

    private void pause() {
        if (key.isValid()) {
            key.interestOps(0);
            resumeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(FAILURE_PAUSE_MS);
            acceptor.paused(this);
        }
    }

    void resume() {
        if (key.isValid()) {
            key.interestOps(SelectionKey.OP_ACCEPT);
        }
    }

    private void handOver(SocketChannel channel) {
        accepted.incrementAndGet();
        try {
            channel.configureBlocking(true); // handlers use the socket's streams
            lane.execute(() -> handle(channel));
        } catch (RejectedExecutionException e) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) { // logged at 1, 2, 4, 8… drops: a flood does not flood the log
                LOG.warn("{} on {}: {} connections wait for the handler already; one more closed ({} so far)",
                        name, address, lane.queued(), n);
            }
            closeQuietly(channel);
        } catch (IOException | RuntimeException e) {
            LOG.debug("{}: accepted connection lost: {}", name, e.toString());
            closeQuietly(channel);
        }
    }

    private void handle(SocketChannel channel) {
        if (closed.get()) {
            closeQuietly(channel);
            return;
        }
        handling = Thread.currentThread();
        try {
            onAccept.accept(channel);
        } catch (RuntimeException e) {
            LOG.error("{}: the handler failed; connection closed", name, e);
            closeQuietly(channel);
        } finally {
            handling = null;
        }
    }

    /** On the selector thread (or once it has ended): deregistered and closed at once, the port free. */
    void closeOnSelector(Selector selector) {
        closed.set(true);
        if (key != null) {
            key.cancel();
        }
        closeQuietly(server);
        try {
            selector.selectNow(); // deregisters the cancelled key now, which really closes the socket
        } catch (IOException | ClosedSelectorException e) {
            LOG.debug("{}: flushing the selector: {}", name, e.toString());
        }
        lane.shutdown(); // the connections queued still run, to be closed
        unregistered.countDown();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!acceptor.onSelector(this::closeOnSelector, false) // the acceptor has stopped: closed already
                    || !unregistered.await(AcceptorImpl.JOIN_MS, TimeUnit.MILLISECONDS)) {
                closeQuietly(server);
                lane.shutdown();
            }
            if (Thread.currentThread() != handling) {
                lane.awaitTermination(AcceptorImpl.JOIN_MS, TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            closeQuietly(server); // cannot happen: the acceptor's thread is not started by a close
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(server);
        }
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public long accepted() {
        return accepted.get();
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public long failures() {
        return failures.get();
    }

    @Override
    public String toString() {
        return name + " on " + address;
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("closing: {}", e.toString());
        }
    }
}
