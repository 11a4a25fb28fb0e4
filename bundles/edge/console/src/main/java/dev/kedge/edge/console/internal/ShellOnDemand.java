package dev.kedge.edge.console.internal;

import java.time.Duration;
import java.util.List;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's shell core, started by the first console connection instead of at every start of the edge
 * ({@link OnDemandBundles}). When it starts, its command extender loads the command classes of every bundle with a
 * {@code Karaf-Commands} header, Karaf's and each Kedge module's: about 290 classes on an idle edge that no one uses
 * until an operator connects. Its session factory is tracked (from the first {@link #await}), not required: the
 * console listens without it.
 */
final class ShellOnDemand implements ShellSessions {
    private static final Logger LOG = LoggerFactory.getLogger(ShellOnDemand.class);
    static final List<String> BUNDLES = List.of("org.apache.karaf.shell.core");

    private final OnDemandBundles bundles;
    private final ServiceTracker<SessionFactory, SessionFactory> sessions;
    private boolean tracking; // guarded by this

    /** Karaf's shell core, which the console parks and starts. */
    static OnDemandBundles bundles(BundleContext context) {
        return new OnDemandBundles(context, "Karaf's shell", BUNDLES);
    }

    /** @param bundles {@link #bundles}: started by the first wait */
    ShellOnDemand(BundleContext context, OnDemandBundles bundles) {
        this.bundles = bundles;
        this.sessions = new ServiceTracker<>(context, SessionFactory.class, null);
    }

    @Override
    public SessionFactory await(Duration timeout) {
        synchronized (this) {
            if (!tracking) {
                sessions.open();
                tracking = true;
            }
        }
        SessionFactory now = sessions.getService();
        if (now != null || timeout.isZero()) {
            return now;
        }
        long t0 = System.nanoTime();
        bundles.start();
        try {
            now = sessions.waitForService(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        if (now == null) {
            LOG.error("console: Karaf's shell did not come within {} ms; the connection is told so",
                    timeout.toMillis());
        } else {
            LOG.info("Karaf's shell started for the console in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }
        return now;
    }

    synchronized void close() {
        if (tracking) {
            sessions.close();
            tracking = false;
        }
    }
}
