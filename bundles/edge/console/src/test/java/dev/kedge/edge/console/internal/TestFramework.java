package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * A real Felix framework (Karaf's) on its own storage, which survives {@link #restart}, holding empty bundles named
 * like pax-url-aether, Karaf's features service and Karaf's shell core, installed and started as Karaf's first start
 * leaves them.
 */
final class TestFramework implements AutoCloseable {
    private final Path storage;
    private final Path dir;
    private Framework framework;

    TestFramework(Path dir) throws Exception {
        storage = dir.resolve("cache");
        start();
        this.dir = dir;
        for (String name : FeaturesOnDemand.BUNDLES) {
            install(name).start();
        }
        for (String name : ShellOnDemand.BUNDLES) {
            install(name).start();
        }
    }

    /** An empty bundle of that name, installed (last: stopped first among bundles of its start level). */
    Bundle install(String symbolicName) throws IOException, BundleException {
        Path jar = dir.resolve(symbolicName + ".jar");
        writeBundle(jar, symbolicName);
        return framework.getBundleContext().installBundle(jar.toUri().toString());
    }

    private void start() throws BundleException {
        framework = new FrameworkFactory().newFramework(Map.of(Constants.FRAMEWORK_STORAGE, storage.toString()));
        framework.start();
    }

    Framework framework() {
        return framework;
    }

    /** A stop and a start on the same storage: what a restart of the edge does to its bundles. */
    void restart() throws Exception {
        close();
        start();
    }

    Bundle bundle(String name) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (name.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError(name + " not installed");
    }

    boolean active(String name) {
        return bundle(name).getState() == Bundle.ACTIVE;
    }

    boolean persistentlyStarted(String name) {
        return bundle(name).adapt(BundleStartLevel.class).isPersistentlyStarted();
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    private static void writeBundle(Path jar, String symbolicName) throws IOException {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
        a.putValue(Constants.BUNDLE_SYMBOLICNAME, symbolicName);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m)) {
            j.flush();
        }
    }
}
