package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Inbox;
import dev.kedge.core.MalformedMessageException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.tls.TlsContexts;

/**
 * One WebSocket connection to CloudHub. Reading happens on one I/O thread (this class is its listener: one
 * message at a time, the next read only after the previous one was routed, so a full edge mailbox slows the cloud
 * down through TCP instead of growing memory). Writing happens on the link thread in {@link #pump}, which also sends
 * the heartbeat. A watchdog drops the connection when nothing (no frame, no pong) arrived for two heartbeats:
 * a half-open TCP link is found in ~2 heartbeats instead of the kernel's 15+ minutes.
 */
final class LinkSession implements WebSocketClient.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSession.class);
    private static final byte[] PING = "kedge".getBytes(StandardCharsets.US_ASCII);

    private final HubSettings settings;
    private final DownstreamRouter router;
    private final Upstream upstream;
    private final HubCounters counters;
    private final long deadlineNanos;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile WebSocketClient ws;
    private volatile long lastInbound = System.nanoTime();
    private volatile Inbox pumping;

    private LinkSession(HubSettings settings, DownstreamRouter router, Upstream upstream, HubCounters counters) {
        this.settings = settings;
        this.router = router;
        this.upstream = upstream;
        this.counters = counters;
        this.deadlineNanos = settings.heartbeat().toNanos() * 2;
    }

    /**
     * Opens {@code wss://<server>/<projectID>/<nodeName>/events} with KubeEdge's headers, within the handshake
     * timeout, and starts reading on {@code io}.
     */
    static LinkSession open(SSLContext tls, HubSettings s, DownstreamRouter router, Upstream upstream,
            HubCounters counters, Executor io) throws LinkFailure {
        LinkSession session = new LinkSession(s, router, upstream, counters);
        WebSocketClient ws;
        try {
            ws = WebSocketClient.connect(tls, TlsContexts.clientParameters(true), s.webSocketUri(),
                    Map.of("node_id", s.nodeName(), "project_id", s.projectId(), "ConnectionUse", "msg"),
                    s.handshakeTimeout(), s.maxFrameBytes());
        } catch (IOException | RuntimeException e) {
            throw new LinkFailure(LinkFailure.explain(e), e);
        }
        session.ws = ws;
        session.lastInbound = System.nanoTime();
        try {
            io.execute(() -> ws.readLoop(session));
        } catch (RejectedExecutionException e) {
            ws.abort();
            throw new LinkFailure("no thread to read from CloudHub: " + e.getMessage(), e);
        }
        return session;
    }

    /**
     * Writes what EdgeHub's mailbox holds, and the heartbeat, until the link ends; returns why it ended. A message
     * taken but not written (the write failed, EdgeHub stops) goes back to the front of the mailbox.
     */
    String pump(Inbox inbox, RateLimiter limiter, SharedScheduler watchdog) throws InterruptedException {
        pumping = inbox;
        Duration period = Duration.ofMillis(Math.max(10, settings.heartbeat().toMillis() / 4));
        ScheduledFuture<?> deadline = watchdog.scheduleWithFixedDelay("edgehub read deadline", this::checkDeadline,
                period, period);
        try {
            long heartbeat = settings.heartbeat().toNanos();
            long nextBeat = System.nanoTime();
            while (!ended.isDone()) {
                long now = System.nanoTime();
                if (now - nextBeat >= 0) {
                    nextBeat = now + heartbeat;
                    if (write(keepalive()) == Written.FAILED || !ping()) {
                        break;
                    }
                    continue;
                }
                Message m;
                try {
                    m = inbox.poll(Duration.ofNanos(nextBeat - now), ended::isDone);
                } catch (BusException closed) { // EdgeHub or the bus is stopping
                    end("EdgeHub's mailbox closed: " + closed.getMessage());
                    break;
                }
                if (m == null) {
                    continue;
                }
                if (!writeTaken(m, limiter, inbox)) {
                    inbox.putBack(m);
                    break;
                }
            }
        } finally {
            deadline.cancel(false);
            pumping = null;
        }
        return ended.getNow("link ended");
    }

    /**
     * Writes a message taken from the mailbox; false when the write failed and it must go back. Interrupted (EdgeHub
     * stopping) before it was surely written, it goes back too: the next instance sends it.
     */
    private boolean writeTaken(Message m, RateLimiter limiter, Inbox inbox)
            throws InterruptedException {
        try {
            if (!isAck(m)) {
                // keepalives and acks skip the limiter: an ack is what lets CloudHub send the node's next
                // object, so throttling acks to messageQPS would cap downstream delivery at 30 objects/s
                limiter.acquire();
            }
            return write(m) != Written.FAILED;
        } catch (InterruptedException e) {
            inbox.putBack(m);
            throw e;
        }
    }

    static boolean isAck(Message m) {
        return Operations.RESPONSE.equals(m.operation()) && Operations.OK.equals(m.content());
    }

    /** Ends the session from outside (stop, reconfiguration): a polite close, then the socket goes. */
    void close(String reason, SharedScheduler watchdog) {
        if (end(reason)) {
            WebSocketClient w = ws;
            if (w != null) {
                watchdog.schedule("edgehub socket abort", w::abort, Duration.ofSeconds(1));
                w.closeQuietly(WebSocketClient.NORMAL);
            }
        }
    }

    /** Releases the socket after {@link #pump} returned, whatever ended it. */
    void release() {
        WebSocketClient w = ws;
        if (w != null) {
            w.abort();
        }
    }

    boolean ended() {
        return ended.isDone();
    }

    // ---- writing (link thread) ----

    private enum Written { OK, SKIPPED, FAILED }

    private Written write(Message m) throws InterruptedException {
        String json;
        try {
            json = MessageCodec.encodeToString(m);
        } catch (RuntimeException e) {
            upstream.refuse(m, "cannot encode it: " + e.getMessage()); // a retry would fail the same way
            return Written.SKIPPED;
        }
        try {
            ws.sendText(json);
            counters.framesOut.increment();
            return Written.OK;
        } catch (IOException e) {
            abort("write failed: " + LinkFailure.explain(e)); // after an abort: ended already, with its reason
        }
        return Written.FAILED;
    }

    private boolean ping() {
        try {
            ws.sendPing(PING);
            return true;
        } catch (IOException e) {
            abort("ping failed: " + LinkFailure.explain(e));
            return false;
        }
    }

    private static Message keepalive() {
        return Message.create(ModuleNames.EDGEHUB, ModuleNames.ROUTE_RESOURCE, Operations.KEEPALIVE, "node", "ping");
    }

    // ---- liveness (shared scheduler) ----

    private void checkDeadline() {
        WebSocketClient w = ws;
        long writing = w == null ? 0 : w.writingForNanos();
        if (writing > settings.writeDeadline().toNanos()) {
            abort("writing one frame took longer than the write deadline of " + settings.writeDeadline().toSeconds()
                    + " s");
            return;
        }
        long silent = System.nanoTime() - lastInbound;
        if (silent > deadlineNanos) {
            abort("nothing from CloudHub (no frame, no pong) for " + TimeUnit.NANOSECONDS.toMillis(silent)
                    + " ms, 2 heartbeats: the link is half-open");
        }
    }

    private void abort(String reason) {
        if (end(reason)) {
            WebSocketClient w = ws;
            if (w != null) {
                w.abort();
            }
        }
    }

    private boolean end(String reason) {
        if (!ended.complete(reason)) {
            return false;
        }
        Inbox i = pumping;
        if (i != null) {
            i.wake();
        }
        return true;
    }

    // ---- reading (the I/O thread, one call at a time) ----
    // Once the session ended, frames still buffered are dropped: EdgeHub has failed its waiting sync requests and
    // may be connected again, so a late answer would reach the modules as an unasked message; CloudHub resends
    // whatever was not acked, and a late answer's request has been retried or failed.

    @Override
    public void onActivity() {
        lastInbound = System.nanoTime();
    }

    @Override
    public void onText(String frame) {
        if (ended.isDone()) {
            return; // read before the end, parsed after it: not handed on, as the JDK client did not (see below)
        }
        counters.framesIn.increment();
        deliver(() -> MessageCodec.decode(frame), frame.length());
    }

    @Override
    public void onBinary(byte[] frame) {
        if (ended.isDone()) {
            return;
        }
        counters.framesIn.increment();
        deliver(() -> MessageCodec.decode(frame), frame.length);
    }

    @Override
    public void onTooLarge(long bytes, int max) {
        counters.framesIn.increment();
        counters.badFrames.increment();
        LOG.error("frame from CloudHub refused: frame of {} bytes exceeds the {}-byte bound", bytes, max);
    }

    @Override
    public void onClose(int statusCode, String reason) {
        end("CloudHub closed the connection (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
    }

    @Override
    public void onError(IOException error) {
        end("link error: " + LinkFailure.explain(error));
    }

    private void deliver(Supplier<Message> decoder, int size) {
        Message m;
        try {
            m = decoder.get();
        } catch (MalformedMessageException e) {
            counters.badFrames.increment();
            LOG.error("malformed frame from CloudHub ({} chars/bytes) ignored: {}", size, e.getMessage());
            return;
        }
        try {
            router.route(m);
        } catch (RuntimeException e) { // a bug must not kill the reader: the link would look alive but be deaf
            counters.unroutable.increment();
            LOG.error("cloud message {} could not be routed", m.id(), e);
        }
    }
}
