package dev.kedge.edge.console.internal;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Karaf's features service and its Maven resolver (pax-url-aether), started by the first console connection instead
 * of at every start of the edge ({@link OnDemandBundles}). An unattended gateway never uses them, yet they cost about
 * 1,250 classes and 10 MiB at each start: the features service embeds a Jackson of its own and reads its XML with
 * JAXB, and pax-url-aether reads Maven's settings.
 */
final class FeaturesOnDemand {
    private static final Logger LOG = LoggerFactory.getLogger(FeaturesOnDemand.class);
    /** In start order: the features service resolves {@code mvn:} URLs through the resolver. */
    static final List<String> BUNDLES = List.of("org.ops4j.pax.url.mvn", "org.apache.karaf.features.core");

    private final OnDemandBundles bundles;
    private final BooleanSupplier commandsThere;

    /** Karaf's features service and its resolver, which the console parks and starts. */
    static OnDemandBundles bundles(BundleContext context) {
        return new OnDemandBundles(context, "Karaf's features service", BUNDLES);
    }

    /**
     * @param bundles       {@link #bundles}
     * @param commandsThere whether the console's registry has the {@code feature:} commands
     */
    FeaturesOnDemand(OnDemandBundles bundles, BooleanSupplier commandsThere) {
        this.bundles = bundles;
        this.commandsThere = commandsThere;
    }

    /**
     * Starts what is not active, transiently, and waits (at most {@code timeout}) for the {@code feature:} commands,
     * so that the connection's first command finds them. A failure is logged: the console works without them.
     */
    void startForConsole(Duration timeout) {
        long t0 = System.nanoTime();
        if (!bundles.start()) {
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
}
