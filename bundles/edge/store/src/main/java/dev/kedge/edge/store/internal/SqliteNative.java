package dev.kedge.edge.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * Points sqlite-jdbc at the distribution's native library. The store bundle carries the driver's classes but none of
 * its natives: each edge tarball carries the one for its architecture under {@code lib/sqlite/<os>/<arch>/}, the
 * layout of the driver's own jar (3.5 MB less per tarball than all seven Linux builds, and nothing extracted to
 * {@code /tmp} at every start). sqlite-jdbc reads only the {@code org.sqlite.lib.path} system property, so that is
 * what is set, unless an operator set it already.
 */
final class SqliteNative {
    static final String LIB_PATH = "org.sqlite.lib.path";

    private SqliteNative() {
    }

    /** Sets {@code org.sqlite.lib.path} for a Karaf distribution; outside Karaf (tests) the driver's jar has natives. */
    static synchronized void useDistributionLibrary() {
        if (System.getProperty(LIB_PATH) != null) {
            return;
        }
        String home = System.getProperty("karaf.home");
        if (home == null) {
            return;
        }
        String platform = platformFolder(System.getProperty("os.name", ""), System.getProperty("os.arch", ""),
                SqliteNative::processMaps, OSInfo::getNativeLibFolderPathForCurrentOS);
        Path dir = libraryDir(Path.of(home), platform);
        String file = LibraryLoaderUtil.getNativeLibName();
        if (!Files.isRegularFile(dir.resolve(file))) {
            throw new IllegalStateException("no SQLite native library for " + platform + " in "
                    + librariesOf(Path.of(home)) + ": this edge tarball is for another architecture (use"
                    + " kedge-edge-<version>-linux-<arch>.tar.gz, or the all-Linux kedge-edge-<version>.tar.gz),"
                    + " or point -D" + LIB_PATH + " at a directory holding " + file);
        }
        System.setProperty(LIB_PATH, dir.toString());
    }

    /**
     * The driver's platform folder, e.g. {@code Linux/x86_64}. On 64-bit x86 and ARM Linux the name follows from the
     * JVM's properties and its C library (musl or not); only elsewhere is the driver's {@code OSInfo} asked, because
     * it runs {@code uname} as a child process at every start (ruling out Android's Termux; on 32-bit ARM also telling
     * v6 from v7), which costs a fork on the start path and leaves the JDK's process reaper thread behind.
     */
    static String platformFolder(String osName, String osArch, Supplier<String> maps, Supplier<String> driver) {
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> null;
        };
        if (arch == null || !osName.equals("Linux")) {
            return driver.get();
        }
        return (maps.get().contains("musl") ? "Linux-Musl/" : "Linux/") + arch;
    }

    /** This process's memory map: a JVM on musl maps {@code ld-musl-*.so.1}; empty if it cannot be read. */
    private static String processMaps() {
        try {
            return Files.readString(Path.of("/proc/self/maps"));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** {@code <home>/lib/sqlite/<os>/<arch>}, with the driver's platform folder, e.g. {@code Linux/x86_64}. */
    static Path libraryDir(Path karafHome, String platformFolder) {
        return librariesOf(karafHome).resolve(platformFolder);
    }

    private static Path librariesOf(Path karafHome) {
        return karafHome.resolve("lib").resolve("sqlite");
    }
}
