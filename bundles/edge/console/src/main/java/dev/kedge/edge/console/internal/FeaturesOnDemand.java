package dev.kedge.edge.console.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's features service and its Maven resolver (pax-url-aether), started by the first console connection instead
 * of at every start of the edge. An unattended gateway never uses them, yet they cost about 1,250 classes and 10 MiB
 * at each start: the features service embeds a Jackson of its own and reads its XML with JAXB, and pax-url-aether
 * reads Maven's settings.
 * <p>
 * The first start of a fresh edge provisions the boot features with them, as Karaf does. When the framework stops
 * (a clean stop), {@link #park} clears their persistent start flag, so the next start leaves them installed and
 * resolved but not started; {@link #startForConsole} starts them transiently (the flag stays clear) and waits for the
 * {@code feature:} commands. After a kill the flag is whatever the last clean stop left.
 */
final class FeaturesOnDemand {
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesOnDemand.class);
    /** In start order: the features service resolves {@code mvn:} URLs through the resolver. */
    static final List<String> BUNDLES = List.of("org.ops4j.pax.url.mvn", "org.apache.karaf.features.core");

    private final BundleContext context;
    private final BooleanSupplier commandsThere;

    /** @param commandsThere whether the console's registry has the {@code feature:} commands */
    FeaturesOnDemand(BundleContext context, BooleanSupplier commandsThere) {
        this.context = context;
        this.commandsThere = commandsThere;
    }

    /**
     * Starts what is not active, transiently, and waits (at most {@code timeout}) for the {@code feature:} commands,
     * so that the connection's first command finds them. A failure is logged: the console works without them.
     */
    void startForConsole(Duration timeout) {
        long t0 = System.nanoTime();
        boolean started = false;
        for (Bundle b : bundles()) {
            if (b.getState() != Bundle.ACTIVE) {
                try {
                    b.start(Bundle.START_TRANSIENT);
                    started = true;
                } catch (BundleException | IllegalStateException e) {
                    LOG.warn("console: {} did not start, so the feature: commands are missing: {}",
                            b.getSymbolicName(), e.toString());
                    return;
                }
            }
        }
        if (!started) {
            return;
        }
        long deadline = t0 + timeout.toNanos();
        while (!commandsThere.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("console: Karaf's features service started, but no feature: commands after {} s",
                        timeout.toSeconds());
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("Karaf's features service started for the console in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** While the framework stops: the next start leaves both bundles stopped until a console connection. */
    void park() {
        boolean parked = false;
        List<Bundle> bundles = new ArrayList<>(bundles());
        Collections.reverse(bundles); // the features service before the resolver it uses
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
            LOG.info("Karaf's features service parked: after the next start it starts with the first console"
                    + " connection");
        }
    }

    /** With on-demand start turned off: both start with the edge again, from now on. */
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

    /** Whether the framework itself is stopping (not just this bundle or its configuration). */
    boolean frameworkStopping() {
        return context.getBundle(0).getState() == Bundle.STOPPING;
    }

    private List<Bundle> bundles() {
        Bundle[] all = context.getBundles();
        return BUNDLES.stream().flatMap(name -> Arrays.stream(all)
                .filter(b -> name.equals(b.getSymbolicName()))
                .limit(1)).toList();
    }
}
