package dev.kedge.core.net.internal;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.kedge.core.net.Listening;

/** One accept thread for every listener; each listener's handler on a lane of its own. */
@Timeout(value = 60, unit = SECONDS)
class AcceptorImplTest {
    private static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final AcceptorImpl acceptor = new AcceptorImpl();
    private final List<Socket> clients = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket c : clients) {
            c.close();
        }
        acceptor.stop();
    }

    @Test
    void severalListenersAcceptOnOneThreadAndHandOnTheirOwnLanes() throws Exception {
        assertEquals(0, acceptThreads(), "no thread before the first listener");
        BlockingQueue<String> handledOn = new LinkedBlockingQueue<>();
        List<Listening> ls = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ls.add(acceptor.listen("net-test-" + i, ANY_LOOPBACK, 4, ch -> {
                handledOn.add(Thread.currentThread().getName());
                close(ch);
            }));
        }
        for (int round = 0; round < 2; round++) {
            for (Listening l : ls) {
                connect(l);
            }
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            names.add(handledOn.poll(5, SECONDS));
        }
        for (int i = 0; i < 3; i++) {
            String lane = "kedge-net-test-" + i;
            assertEquals(2, names.stream().filter(lane::equals).count(), names.toString());
            assertEquals(2, ls.get(i).accepted());
        }
        assertEquals(1, acceptThreads(), "one accept thread for all listeners");
        acceptor.stop();
        assertEquals(0, acceptThreads(), "it has ended when stop returns");
        assertThrows(IOException.class, () -> acceptor.listen("late", ANY_LOOPBACK, 1, AcceptorImplTest::close));
    }

    @Test
    void aBlockedHandlerHoldsUpNoOtherListener() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch slowStarted = new CountDownLatch(1);
        Listening slow = blocking("net-slow", 4, slowStarted, release);
        CountDownLatch fastHandled = new CountDownLatch(2);
        Listening fast = acceptor.listen("net-fast", ANY_LOOPBACK, 4, ch -> {
            fastHandled.countDown();
            close(ch);
        });
        try {
            connect(slow);
            assertTrue(slowStarted.await(5, SECONDS));
            connect(slow); // waits on the slow lane
            connect(fast);
            connect(fast);
            assertTrue(fastHandled.await(5, SECONDS), "the other listener's connections are handled meanwhile");
            waitFor(() -> slow.accepted() == 2, "the slow listener still accepts");
        } finally {
            release.countDown();
        }
    }

    @Test
    void closeStopsAcceptingAtOnceAndIsIdempotent() throws Exception {
        CountDownLatch handled = new CountDownLatch(1);
        Listening l = acceptor.listen("net-close", ANY_LOOPBACK, 4, ch -> {
            handled.countDown();
            close(ch);
        });
        connect(l);
        assertTrue(handled.await(5, SECONDS));
        l.close();
        assertThrows(ConnectException.class, () -> connect(l), "refused once close returned");
        l.close();
        // the port is free again: nothing is left registered on it
        Listening again = acceptor.listen("net-again", l.address(), 4, AcceptorImplTest::close);
        assertEquals(l.port(), again.port());
        again.close();
    }

    @Test
    void aFullLaneClosesTheExtraConnectionsAndCountsThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        Listening l = blocking("net-full", 1, first, release);
        try {
            connect(l);
            assertTrue(first.await(5, SECONDS), "the first connection is in the handler");
            connect(l);
            waitFor(() -> l.accepted() == 2, "the second waits in the lane's queue of one");
            Socket extra = connect(l);
            waitFor(() -> l.dropped() == 1, "the third is dropped");
            extra.setSoTimeout(5000);
            assertEquals(-1, extra.getInputStream().read(), "and closed");
            assertEquals(3, l.accepted());
        } finally {
            release.countDown();
        }
        l.close();
        assertEquals(1, l.dropped());
    }

    @Test
    void aHandlerThatThrowsHasItsConnectionClosed() throws Exception {
        Listening l = acceptor.listen("net-throws", ANY_LOOPBACK, 4, ch -> {
            throw new IllegalStateException("test: the handler fails");
        });
        Socket c = connect(l);
        c.setSoTimeout(5000);
        assertEquals(-1, c.getInputStream().read());
        l.close();
    }

    /** A listener whose handler counts {@code started} down, then holds its connection until {@code release}. */
    private Listening blocking(String name, int backlog, CountDownLatch started, CountDownLatch release)
            throws IOException {
        return acceptor.listen(name, ANY_LOOPBACK, backlog, ch -> {
            started.countDown();
            await(release);
            close(ch);
        });
    }

    private Socket connect(Listening l) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), l.port()), 2000);
        return s;
    }

    private static long acceptThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> t.getName().matches("kedge-accept-\\d+")).count();
    }

    private static void close(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitFor(BooleanSupplier done, String what) throws InterruptedException {
        long end = System.nanoTime() + SECONDS.toNanos(5);
        while (!done.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, what);
            Thread.sleep(10);
        }
    }
}
