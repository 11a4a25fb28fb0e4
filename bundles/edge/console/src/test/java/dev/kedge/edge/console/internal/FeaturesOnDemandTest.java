package dev.kedge.edge.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The features service's start flag across restarts of a real framework: parked, started on demand, kept. */
class FeaturesOnDemandTest {
    private static final String MAVEN = FeaturesOnDemand.BUNDLES.get(0);
    private static final String FEATURES = FeaturesOnDemand.BUNDLES.get(1);

    @TempDir
    Path dir;
    private TestFramework osgi;

    @BeforeEach
    void firstStart() throws Exception {
        osgi = new TestFramework(dir);
    }

    @AfterEach
    void stop() throws Exception {
        osgi.close();
    }

    private OnDemandBundles bundles() {
        return FeaturesOnDemand.bundles(osgi.framework().getBundleContext());
    }

    private FeaturesOnDemand features() {
        return new FeaturesOnDemand(bundles(), () -> osgi.active(FEATURES));
    }

    @Test
    void parkedTheyStayStoppedAfterARestartUntilTheConsoleStartsThem() throws Exception {
        bundles().park();
        osgi.restart();
        assertFalse(osgi.active(MAVEN) || osgi.active(FEATURES), "not started with the framework");

        features().startForConsole(Duration.ofSeconds(5));
        assertTrue(osgi.active(MAVEN) && osgi.active(FEATURES), "started for the console");
        assertFalse(osgi.persistentlyStarted(MAVEN) || osgi.persistentlyStarted(FEATURES), "transiently");

        osgi.restart();
        assertFalse(osgi.active(MAVEN) || osgi.active(FEATURES), "still on demand after the next restart");
    }

    @Test
    void withoutParkingTheyStartWithTheFrameworkAsInKaraf() throws Exception {
        osgi.restart();
        assertTrue(osgi.active(MAVEN) && osgi.active(FEATURES));
    }

    @Test
    void keepStartedUndoesTheParking() throws Exception {
        bundles().park();
        osgi.restart();
        bundles().keepStarted();
        assertTrue(osgi.active(MAVEN) && osgi.active(FEATURES));
        osgi.restart();
        assertTrue(osgi.active(MAVEN) && osgi.active(FEATURES), "with the framework again");
    }

    @Test
    void theWaitForTheCommandsEnds() throws Exception {
        bundles().park();
        osgi.restart();
        long t0 = System.nanoTime();
        new FeaturesOnDemand(bundles(), () -> false).startForConsole(Duration.ofMillis(300));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 300 && ms < 5_000, "gave up after the timeout: " + ms + " ms");
        assertTrue(osgi.active(FEATURES), "the bundles started all the same");
    }

    @Test
    void aConsoleStoppingWithTheFrameworkParksThemAndAloneItDoesNot() throws Exception {
        Bundle console = osgi.install("dev.kedge.edge.console");
        console.start();
        OnDemandBundles f = bundles();
        List<Boolean> stoppingSeen = new CopyOnWriteArrayList<>();
        osgi.framework().getBundleContext().addBundleListener((SynchronousBundleListener) e -> {
            if (e.getBundle().equals(console) && e.getType() == BundleEvent.STOPPING) {
                stoppingSeen.add(f.frameworkStopping());
                if (f.frameworkStopping()) {
                    f.park(); // what the console's deactivation does
                }
            }
        });
        console.stop();
        console.start();
        osgi.restart();
        assertEquals(List.of(false, true), stoppingSeen, "the framework stopping, told from the console alone");
        assertFalse(osgi.active(MAVEN) || osgi.active(FEATURES), "parked while the framework stopped");
        assertTrue(osgi.active("dev.kedge.edge.console"));
    }
}
