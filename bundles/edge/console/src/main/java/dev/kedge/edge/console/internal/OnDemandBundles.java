package dev.kedge.edge.console.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bundles the console starts when an operator connects instead of at every start of the edge. The first start of a
 * fresh edge starts them, as Karaf's features service does. When the framework stops (a clean stop), {@link #park}
 * clears their persistent start flag, so the next start leaves them installed and resolved but not started (a
 * framework that is not stopping never parks: the flag is the framework's record, and changing it for a running
 * bundle stops it); {@link #start} starts them transiently, so the flag stays clear. After a kill the flag is
 * whatever the last clean stop left.
 */
final class OnDemandBundles {
    private static final Logger LOG = LoggerFactory.getLogger(OnDemandBundles.class);

    private final BundleContext context;
    private final String what;
    private final List<String> names;

    /** @param what what the bundles are, for the log; @param names symbolic names, in start order */
    OnDemandBundles(BundleContext context, String what, List<String> names) {
        this.context = context;
        this.what = what;
        this.names = List.copyOf(names);
    }

    /**
     * Starts, transiently and in order, those not active. A failure is logged and ends the starts.
     *
     * @return whether all are active now and at least one was started by this call
     */
    boolean start() {
        boolean started = false;
        for (Bundle b : bundles()) {
            if (b.getState() != Bundle.ACTIVE) {
                try {
                    b.start(Bundle.START_TRANSIENT);
                    started = true;
                } catch (BundleException | IllegalStateException e) {
                    LOG.warn("console: {} did not start, so {} is missing: {}", b.getSymbolicName(), what,
                            e.toString());
                    return false;
                }
            }
        }
        return started;
    }

    /** While the framework stops: the next start leaves them stopped until a console connection. */
    void park() {
        boolean parked = false;
        List<Bundle> bundles = new ArrayList<>(bundles());
        Collections.reverse(bundles); // a bundle before those it uses
        for (Bundle b : bundles) {
            if (b.adapt(BundleStartLevel.class).isPersistentlyStarted()) {
                try {
                    b.stop(); // persistent: clears the start flag; the framework stops it anyway
                    parked = true;
                } catch (BundleException | IllegalStateException e) {
                    LOG.warn("console: {} not parked; it starts with the edge next time: {}", b.getSymbolicName(),
                            e.toString());
                }
            }
        }
        if (parked) {
            LOG.info("{} parked: after the next start it starts with the first console connection", what);
        }
    }

    /** With on-demand start turned off: they start with the edge again, from now on. */
    void keepStarted() {
        for (Bundle b : bundles()) {
            if (!b.adapt(BundleStartLevel.class).isPersistentlyStarted()) {
                try {
                    b.start();
                } catch (BundleException | IllegalStateException e) {
                    LOG.warn("console: {} did not start: {}", b.getSymbolicName(), e.toString());
                }
            }
        }
    }

    /** Whether the framework itself is stopping (not just the console's bundle or its configuration). */
    boolean frameworkStopping() {
        return context.getBundle(0).getState() == Bundle.STOPPING;
    }

    private List<Bundle> bundles() {
        Bundle[] all = context.getBundles();
        return names.stream().flatMap(name -> Arrays.stream(all)
                .filter(b -> name.equals(b.getSymbolicName()))
                .limit(1)).toList();
    }
}
