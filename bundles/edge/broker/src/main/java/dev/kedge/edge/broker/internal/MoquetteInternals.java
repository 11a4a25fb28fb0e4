package dev.kedge.edge.broker.internal;

import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.moquette.broker.Server;
import io.netty.channel.EventLoopGroup;

/**
 * What the broker reaches inside Moquette 0.17 for lack of an API: its acceptor's Netty event loop groups. Every use
 * degrades to Moquette's own behaviour when the fields are not the expected ones (another Moquette version).
 */
final class MoquetteInternals {
    private static final Logger LOG = LoggerFactory.getLogger(MoquetteInternals.class);

    private MoquetteInternals() {
    }

    static EventLoopGroup bossGroup(Server server) throws ReflectiveOperationException {
        return (EventLoopGroup) read(read(server, "acceptor"), "bossGroup");
    }

    /**
     * Starts the shutdown of the acceptor's loops with no quiet period. Moquette's stop shuts them down gracefully
     * with Netty's default, which waits two seconds of quiet first: two seconds of every stop, restart and hot swap
     * of the broker. Its own shutdown then finds them terminating and waits only for that.
     */
    static void shutdownLoopsNow(Server server) {
        try {
            Object acceptor = read(server, "acceptor");
            for (String group : new String[] {"bossGroup", "workerGroup"}) {
                ((EventLoopGroup) read(acceptor, group)).shutdownGracefully(0, 2, TimeUnit.SECONDS);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.debug("Moquette's event loops stop its own way (2 s quiet period): {}", e.toString());
        }
    }

    static Object read(Object target, String field) throws ReflectiveOperationException {
        for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                return f.get(target);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new NoSuchFieldException(target.getClass().getName() + "." + field);
    }
}
