package dev.kedge.edge.hub.internal;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.MalformedMessageException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.SharedScheduler;

/**
 * One WebSocket connection to CloudHub. Reading happens on the JDK client's threads (this class is the listener:
 * one message at a time, the next requested only after the previous one was routed, so a full edge mailbox slows
 * the cloud down instead of growing memory). Writing happens on the link thread in {@link #pump}, which also sends
 * the heartbeat. A watchdog drops the connection when nothing (no frame, no pong) arrived for two heartbeats:
 * a half-open TCP link is found in ~2 heartbeats instead of the kernel's 15+ minutes.
 */
final class LinkSession implements WebSocket.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(LinkSession.class);
    private static final ByteBuffer PING = ByteBuffer.wrap("kedge".getBytes(StandardCharsets.US_ASCII));

    private final HubSettings settings;
    private final DownstreamRouter router;
    private final Upstream upstream;
    private final HubCounters counters;
    private final FrameAssembler assembler;
    private final long deadlineNanos;
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile WebSocket ws;
    private volatile long lastInbound = System.nanoTime();
    private volatile Outbox pumping;

    private LinkSession(HubSettings settings, DownstreamRouter router, Upstream upstream, HubCounters counters) {
        this.settings = settings;
        this.router = router;
        this.upstream = upstream;
        this.counters = counters;
        this.assembler = new FrameAssembler(settings.maxFrameBytes());
        this.deadlineNanos = settings.heartbeat().toNanos() * 2;
    }

    /** Opens {@code wss://<server>/<projectID>/<nodeName>/events} with KubeEdge's headers, within the handshake timeout. */
    static LinkSession open(HttpClient client, HubSettings s, DownstreamRouter router, Upstream upstream,
            HubCounters counters) throws LinkFailure, InterruptedException {
        LinkSession session = new LinkSession(s, router, upstream, counters);
        CompletableFuture<WebSocket> opening = client.newWebSocketBuilder()
                .header("node_id", s.nodeName())
                .header("project_id", s.projectId())
                .header("ConnectionUse", "msg")
                .connectTimeout(s.handshakeTimeout())
                .buildAsync(s.webSocketUri(), session);
        try {
            session.ws = opening.get(s.handshakeTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            session.lastInbound = System.nanoTime();
            return session;
        } catch (TimeoutException e) {
            opening.thenAccept(WebSocket::abort); // should it still open, nobody wants it
            throw new LinkFailure("no WebSocket to " + s.webSocketUri() + " within the handshake timeout of "
                    + s.handshakeTimeout().toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new LinkFailure(LinkFailure.explain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            opening.thenAccept(WebSocket::abort);
            throw e;
        }
    }

    /**
     * Writes the outbox and the heartbeat until the link ends; returns why it ended. A message whose write failed
     * goes back to the front of the outbox.
     */
    String pump(Outbox outbox, RateLimiter limiter, SharedScheduler watchdog) throws InterruptedException {
        pumping = outbox;
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
                    if (write(keepalive()) == Written.FAILED) {
                        break;
                    }
                    ping();
                    continue;
                }
                Message m = outbox.poll(nextBeat - now, ended::isDone);
                if (m == null) {
                    continue;
                }
                if (!isAck(m)) {
                    // keepalives (above) and acks skip the limiter: an ack is what lets CloudHub send the node's
                    // next object, so throttling acks to messageQPS would cap downstream delivery at 30 objects/s
                    limiter.acquire();
                }
                Written w = write(m);
                if (w == Written.FAILED) {
                    outbox.pushFront(m);
                    break;
                }
            }
        } finally {
            deadline.cancel(false);
            pumping = null;
        }
        return ended.getNow("link ended");
    }

    static boolean isAck(Message m) {
        return Operations.RESPONSE.equals(m.operation()) && Operations.OK.equals(m.content());
    }

    /** Ends the session from outside (stop, reconfiguration): a polite close, then the socket goes. */
    void close(String reason, SharedScheduler watchdog) {
        if (end(reason)) {
            WebSocket w = ws;
            if (w != null) {
                w.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((r, e) -> { });
                watchdog.schedule("edgehub socket abort", w::abort, Duration.ofSeconds(1));
            }
        }
    }

    /** Releases the socket after {@link #pump} returned, whatever ended it. */
    void release() {
        WebSocket w = ws;
        if (w != null && !w.isOutputClosed()) {
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
            ws.sendText(json, true).get(settings.writeDeadline().toMillis(), TimeUnit.MILLISECONDS);
            counters.framesOut.increment();
            return Written.OK;
        } catch (TimeoutException e) {
            abort("writing one frame took longer than the write deadline of " + settings.writeDeadline().toSeconds()
                    + " s");
        } catch (ExecutionException e) {
            abort("write failed: " + LinkFailure.explain(e.getCause()));
        } catch (IllegalStateException e) {
            abort("write refused: " + e.getMessage());
        }
        return Written.FAILED;
    }

    private void ping() {
        try {
            ws.sendPing(PING.duplicate()).whenComplete((r, e) -> { });
        } catch (IllegalStateException e) {
            LOG.debug("previous ping still being written; the read deadline decides"); // pings never queue up
        }
    }

    private static Message keepalive() {
        return Message.create(ModuleNames.EDGEHUB, ModuleNames.ROUTE_RESOURCE, Operations.KEEPALIVE, "node", "ping");
    }

    // ---- liveness (shared scheduler) ----

    private void checkDeadline() {
        long silent = System.nanoTime() - lastInbound;
        if (silent > deadlineNanos) {
            abort("nothing from CloudHub (no frame, no pong) for " + TimeUnit.NANOSECONDS.toMillis(silent)
                    + " ms, 2 heartbeats: the link is half-open");
        }
    }

    private void abort(String reason) {
        if (end(reason)) {
            WebSocket w = ws;
            if (w != null) {
                w.abort();
            }
        }
    }

    private boolean end(String reason) {
        if (!ended.complete(reason)) {
            return false;
        }
        Outbox o = pumping;
        if (o != null) {
            o.wake();
        }
        return true;
    }

    // ---- reading (JDK client threads, one callback at a time) ----

    @Override
    public void onOpen(WebSocket webSocket) {
        this.ws = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        lastInbound = System.nanoTime();
        try {
            String frame = assembler.appendText(data, last);
            if (frame != null) {
                counters.framesIn.increment();
                deliver(() -> MessageCodec.decode(frame), frame.length());
            }
        } catch (FrameAssembler.TooLarge e) {
            refuseLarge(e);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        lastInbound = System.nanoTime();
        try {
            byte[] frame = assembler.appendBinary(data, last);
            if (frame != null) {
                counters.framesIn.increment();
                deliver(() -> MessageCodec.decode(frame), frame.length);
            }
        } catch (FrameAssembler.TooLarge e) {
            refuseLarge(e);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        lastInbound = System.nanoTime(); // the JDK answers with a pong by itself
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        lastInbound = System.nanoTime();
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end("CloudHub closed the connection (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
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

    private void refuseLarge(FrameAssembler.TooLarge e) {
        counters.framesIn.increment();
        counters.badFrames.increment();
        LOG.error("frame from CloudHub refused: {}", e.getMessage());
    }
}
