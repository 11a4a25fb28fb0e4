package dev.kedge.edge.broker.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.util.concurrent.EventExecutor;

/**
 * Works around Moquette 0.17: a QoS 1 PUBLISH with DUP=1 (a client re-sending in-flight messages after a reconnect)
 * throws in {@code PostOffice.receivedPublishQos1} and kills the session loop serving that client, and every
 * client routed to that loop with it. DUP is only a hint at QoS 1 (MQTT 3.1.1 section 4.3.2: the receiver may
 * treat the packet as new, duplicates are allowed), so this handler, placed right after Moquette's MQTT decoder,
 * hands Moquette the same PUBLISH with DUP cleared.
 * <p>
 * Moquette offers no hook into its Netty pipeline, so {@link #install} finds its listening channels by reflection
 * (Moquette's acceptor boss group, Netty's selector of each boss loop) and adds a handler to each that puts this
 * one into every accepted connection's pipeline. Only valid for the Moquette and Netty versions pinned in the POM:
 * the unit test {@code DupPublishTest} proves it works.
 */
@Sharable
final class DupFlagClearer extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(DupFlagClearer.class);
    private static final String DECODER = "decoder"; // Moquette's name for its MqttDecoder
    private static final long INSTALL_WAIT_S = 5;

    private final AtomicLong cleared;
    private final ChildHook childHook = new ChildHook();
    private final AcceptHook acceptHook = new AcceptHook();

    DupFlagClearer(AtomicLong cleared) {
        this.cleared = cleared;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof MqttPublishMessage p && p.fixedHeader().isDup()
                && p.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
            MqttFixedHeader h = p.fixedHeader();
            cleared.incrementAndGet();
            LOG.debug("clearing DUP of QoS 1 PUBLISH {} on {}", p.variableHeader().packetId(), p.variableHeader().topicName());
            // the payload buffer moves to the new message unchanged: no retain, no release
            ctx.fireChannelRead(new MqttPublishMessage(
                    new MqttFixedHeader(h.messageType(), false, h.qosLevel(), h.isRetain(), h.remainingLength()),
                    p.variableHeader(), p.payload()));
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Hooks every listener of {@code server}; returns how many were hooked (0 when Moquette's or Netty's
     * internals are not the expected ones, which is logged).
     */
    int install(Server server) {
        try {
            EventLoopGroup boss = MoquetteInternals.bossGroup(server);
            int hooked = 0;
            for (EventExecutor loop : boss) {
                hooked += loop.submit(() -> hookListeners(loop)).get(INSTALL_WAIT_S, TimeUnit.SECONDS);
            }
            return hooked;
        } catch (Exception | LinkageError e) {
            LOG.error("cannot install the DUP-flag workaround ({}): a QoS 1 PUBLISH re-sent with DUP=1 will stop "
                    + "one of Moquette's session loops", e.toString());
            return 0;
        }
    }

    /** Runs on the boss loop itself: its selector's key set is only safe to read there. */
    private int hookListeners(EventExecutor loop) throws ReflectiveOperationException {
        Selector selector = (Selector) MoquetteInternals.read(loop, "unwrappedSelector");
        List<Channel> listeners = new ArrayList<>();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof ServerChannel ch) {
                listeners.add(ch);
            }
        }
        for (Channel ch : listeners) {
            ch.pipeline().addFirst("kedgeAcceptHook", acceptHook);
        }
        return listeners.size();
    }

    /** On a listener, before Netty's acceptor: marks each new connection for hooking once Moquette set it up. */
    @Sharable
    private final class AcceptHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addLast("kedgeChildHook", childHook);
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** On a new connection: once registered, Moquette's initializer has built the pipeline; slot in after the decoder. */
    @Sharable
    private final class ChildHook extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            ChannelPipeline p = ctx.pipeline();
            if (p.get(DECODER) != null) {
                p.addAfter(DECODER, "kedgeDupClearer", DupFlagClearer.this);
            } else {
                LOG.error("no MQTT decoder in the pipeline of {}: DUP flags left as they are", ctx.channel());
            }
            p.remove(this);
            ctx.fireChannelRegistered();
        }
    }
}
