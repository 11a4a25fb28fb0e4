package dev.kedge.edge.hub.internal;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;

/**
 * The one thing EdgeHub does before SCR: the bundle starts at start level 8, and this activator runs a
 * {@link TlsWarmUp} on a thread of its own while Karaf's boot goes on, unless {@value #PROPERTY} is false. The
 * components stay DS: SCR activates them when it starts and the bus is there (start level 78), as before.
 */
public final class WarmUpActivator implements BundleActivator {
    static final String PROPERTY = "kedge.edgehub.tlsWarmUp";
    private static final Logger LOG = LoggerFactory.getLogger(WarmUpActivator.class);

    @Override
    public void start(BundleContext context) {
        if (!"false".equalsIgnoreCase(context.getProperty(PROPERTY))) {
            DaemonThreads.factory("edgehub-warm-up").newThread(WarmUpActivator::warmUp).start();
        }
    }

    @Override
    public void stop(BundleContext context) {
        // nothing to stop: the warm-up ends by itself within a second
    }

    static void warmUp() {
        long t0 = System.nanoTime();
        try {
            TlsWarmUp.handshake();
            LOG.debug("TLS warmed up for the dial in {} ms", (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            // the dial works without it, only slower
            LOG.info("TLS warm-up for the dial failed after {} ms: {}", (System.nanoTime() - t0) / 1_000_000,
                    e.toString());
        }
    }
}
