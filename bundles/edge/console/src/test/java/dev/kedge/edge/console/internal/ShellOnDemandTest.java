package dev.kedge.edge.console.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Karaf's shell core across restarts of a real framework: parked, started by the first {@link ShellOnDemand#await}
 * which waits for its session factory (registered here when the empty stand-in bundle starts, as the shell's
 * activator does), and kept.
 */
class ShellOnDemandTest {
    private static final String SHELL = ShellOnDemand.BUNDLES.get(0);
    private static final SessionFactory SESSIONS = (SessionFactory) Proxy.newProxyInstance(
            ShellOnDemandTest.class.getClassLoader(), new Class<?>[] {SessionFactory.class}, (p, m, args) -> null);

    @TempDir
    Path dir;
    private TestFramework osgi;
    private ShellOnDemand shell;

    @BeforeEach
    void firstStart() throws Exception {
        osgi = new TestFramework(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (shell != null) {
            shell.close();
        }
        osgi.close();
    }

    /** The framework's context with a stand-in for the shell's activator: the factory comes and goes with it. */
    private BundleContext withShellActivator() {
        BundleContext context = osgi.framework().getBundleContext();
        ServiceRegistration<?>[] registration = new ServiceRegistration<?>[1];
        context.addBundleListener((SynchronousBundleListener) e -> {
            if (!e.getBundle().getSymbolicName().equals(SHELL)) {
                return;
            }
            if (e.getType() == BundleEvent.STARTED) {
                registration[0] = context.registerService(SessionFactory.class, SESSIONS, null);
            } else if (e.getType() == BundleEvent.STOPPING && registration[0] != null) {
                registration[0].unregister();
                registration[0] = null;
            }
        });
        return context;
    }

    @Test
    void parkedItStaysStoppedAfterARestartUntilAConnectionStartsIt() throws Exception {
        ShellOnDemand.bundles(osgi.framework().getBundleContext()).park();
        osgi.restart();
        assertFalse(osgi.active(SHELL), "not started with the framework");

        BundleContext context = withShellActivator();
        shell = new ShellOnDemand(context, ShellOnDemand.bundles(context));
        assertNull(shell.await(Duration.ZERO), "no start without a wait");
        assertFalse(osgi.active(SHELL));
        assertSame(SESSIONS, shell.await(Duration.ofSeconds(5)), "started and its factory waited for");
        assertTrue(osgi.active(SHELL) && !osgi.persistentlyStarted(SHELL), "transiently");
        assertSame(SESSIONS, shell.await(Duration.ZERO), "there for the next connections");
        shell.close();
        shell = null;

        osgi.restart();
        assertFalse(osgi.active(SHELL), "still on demand after the next restart");
    }

    @Test
    void theWaitForTheSessionFactoryEnds() throws Exception {
        ShellOnDemand.bundles(osgi.framework().getBundleContext()).park();
        osgi.restart();
        BundleContext context = osgi.framework().getBundleContext();
        shell = new ShellOnDemand(context, ShellOnDemand.bundles(context)); // a shell that registers nothing
        long t0 = System.nanoTime();
        assertNull(shell.await(Duration.ofMillis(300)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms >= 290 && ms < 5_000, "gave up after the timeout: " + ms + " ms");
        assertTrue(osgi.active(SHELL), "the bundle started all the same");
    }

    @Test
    void keepStartedUndoesTheParking() throws Exception {
        ShellOnDemand.bundles(osgi.framework().getBundleContext()).park();
        osgi.restart();
        BundleContext context = withShellActivator();
        OnDemandBundles bundles = ShellOnDemand.bundles(context);
        shell = new ShellOnDemand(context, bundles);
        bundles.keepStarted();
        assertNotNull(shell.await(Duration.ZERO), "started now");
        shell.close();
        shell = null;
        osgi.restart();
        assertTrue(osgi.active(SHELL) && osgi.persistentlyStarted(SHELL), "with the framework again");
    }
}
