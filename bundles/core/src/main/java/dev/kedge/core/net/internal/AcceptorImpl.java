package dev.kedge.core.net.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;
import dev.kedge.core.net.Acceptor;
import dev.kedge.core.net.Listening;

/**
 * One selector thread ({@code kedge-accept-1}) for all listeners, started with the first one and ended at deactivate.
 * Other threads never touch the selector's keys: they queue an operation (register, close) and wake it.
 */
@Component(service = Acceptor.class)
public final class AcceptorImpl implements Acceptor {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptorImpl.class);
    static final long JOIN_MS = 5_000;

    private final Queue<Consumer<Selector>> pending = new ConcurrentLinkedQueue<>();
    private final List<OpenListener> paused = new ArrayList<>(); // selector thread only
    private Selector selector; // guarded by this; set once
    private Thread thread; // guarded by this
    private volatile boolean stopped; // written under this: an operation queued before it is seen by the last drain

    public AcceptorImpl() {
    }

    @Override
    public Listening listen(String name, InetSocketAddress address, int backlog, Consumer<SocketChannel> onAccept)
            throws IOException {
        Objects.requireNonNull(onAccept, "onAccept");
        if (backlog < 1) {
            throw new IllegalArgumentException(name + ": backlog must be at least 1");
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true); // a port just released binds again
            server.bind(address, backlog);
            server.configureBlocking(false);
            OpenListener l = new OpenListener(this, name, server, backlog, onAccept);
            if (!onSelector(l::register, true)) {
                throw new IOException(name + ": the acceptor has stopped");
            }
            return l;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Queues {@code op} for the selector thread and wakes it; false (op not queued) once the acceptor stopped. */
    synchronized boolean onSelector(Consumer<Selector> op, boolean start) throws IOException {
        if (stopped || (thread == null && !start)) {
            return false;
        }
        if (thread == null) {
            selector = Selector.open();
            thread = DaemonThreads.factory("accept").newThread(this::run);
            thread.start();
        }
        pending.add(op);
        selector.wakeup(); // open: the thread closes it only after it set stopped
        return true;
    }

    /** On the selector thread: an accept failed, so the listener waits a little before it accepts again. */
    void paused(OpenListener l) {
        paused.add(l);
    }

    private void run() {
        Selector s;
        synchronized (this) {
            s = selector;
        }
        try {
            while (!stopped) {
                runPending(s);
                s.select(resumeDue());
                for (SelectionKey k : s.selectedKeys()) {
                    ((OpenListener) k.attachment()).acceptSome();
                }
                s.selectedKeys().clear();
            }
        } catch (IOException | RuntimeException | Error e) {
            LOG.error("the accept thread failed: no listener accepts any more", e);
        } finally {
            synchronized (this) {
                stopped = true;
            }
            runPending(s);
            List<SelectionKey> left = new ArrayList<>(s.keys());
            left.forEach(k -> ((OpenListener) k.attachment()).closeOnSelector(s));
            synchronized (this) { // no wakeup meets a closed selector
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.debug("closing the selector: {}", e.toString());
                }
            }
        }
    }

    private void runPending(Selector s) {
        for (Consumer<Selector> op = pending.poll(); op != null; op = pending.poll()) {
            op.accept(s);
        }
    }

    /** Resumes the paused listeners whose pause is over; the wait until the next one is, in ms (0: none paused). */
    private long resumeDue() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Iterator<OpenListener> i = paused.iterator(); i.hasNext();) {
            OpenListener l = i.next();
            long left = l.resumeAt - now;
            if (left <= 0) {
                l.resume();
                i.remove();
            } else {
                next = Math.min(next, left);
            }
        }
        return next == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next));
    }

    /** Closes the listeners still open and ends the thread. */
    @Deactivate
    public void stop() {
        Thread t;
        synchronized (this) {
            stopped = true;
            t = thread;
            if (t == null) {
                return;
            }
            if (selector.isOpen()) {
                selector.wakeup();
            }
        }
        try {
            t.join(JOIN_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
