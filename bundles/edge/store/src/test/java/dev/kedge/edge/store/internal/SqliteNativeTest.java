package dev.kedge.edge.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/** Where the store takes SQLite's native library from in a distribution: {@code <karaf.home>/lib/sqlite/<os>/<arch>}. */
class SqliteNativeTest {
    @TempDir
    Path home;

    @AfterEach
    void clearProperties() {
        System.clearProperty("karaf.home");
        System.clearProperty(SqliteNative.LIB_PATH);
    }

    @Test
    void theDistributionsLibraryForThisPlatformIsUsed() throws Exception {
        Path dir = SqliteNative.libraryDir(home, OSInfo.getNativeLibFolderPathForCurrentOS());
        Files.createDirectories(dir);
        // the library the driver's own jar carries for this machine, laid out as the edge assembly lays it out
        try (InputStream in = getClass().getResourceAsStream(LibraryLoaderUtil.getNativeLibResourcePath() + "/"
                + LibraryLoaderUtil.getNativeLibName())) {
            Files.copy(in, dir.resolve(LibraryLoaderUtil.getNativeLibName()));
        }
        System.setProperty("karaf.home", home.toString());

        SqliteNative.useDistributionLibrary();

        assertEquals(dir.toString(), System.getProperty(SqliteNative.LIB_PATH));
        try (Connection c = Connections.plain(home.resolve("t.db"), 1000);
                ResultSet r = c.createStatement().executeQuery("select sqlite_version()")) {
            assertTrue(r.next() && !r.getString(1).isEmpty());
        }
    }

    @Test
    void aTarballForAnotherArchitectureFailsWithTheReason() {
        Path other = SqliteNative.libraryDir(home, "Linux/some-other-arch");
        System.setProperty("karaf.home", home.toString());
        try {
            Files.createDirectories(other);
            Files.writeString(other.resolve(LibraryLoaderUtil.getNativeLibName()), "not for this machine");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }

        IllegalStateException e = assertThrows(IllegalStateException.class, SqliteNative::useDistributionLibrary);

        assertTrue(e.getMessage().contains("no SQLite native library for "
                + OSInfo.getNativeLibFolderPathForCurrentOS() + " in " + home.resolve("lib/sqlite")), e.getMessage());
        assertTrue(e.getMessage().contains("linux-<arch>.tar.gz"), e.getMessage());
        assertNull(System.getProperty(SqliteNative.LIB_PATH), "nothing set when nothing was found");
    }

    @Test
    void anOperatorsLibraryPathIsKept() {
        System.setProperty("karaf.home", home.toString());
        System.setProperty(SqliteNative.LIB_PATH, "/opt/sqlite");

        SqliteNative.useDistributionLibrary();

        assertEquals("/opt/sqlite", System.getProperty(SqliteNative.LIB_PATH));
    }

    @Test
    void outsideKarafTheDriversOwnNativesAreLeftToIt() {
        SqliteNative.useDistributionLibrary();

        assertNull(System.getProperty(SqliteNative.LIB_PATH));
    }

    @Test
    void theFolderOf64BitLinuxNeedsNoChildProcess() {
        Supplier<String> driver = () -> {
            throw new AssertionError("OSInfo asked");
        };

        assertEquals("Linux/x86_64", SqliteNative.platformFolder("Linux", "amd64", () -> "7f00 r-xp libc.so.6", driver));
        assertEquals("Linux/aarch64", SqliteNative.platformFolder("Linux", "aarch64", () -> "", driver));
        assertEquals("Linux-Musl/x86_64",
                SqliteNative.platformFolder("Linux", "amd64", () -> "7f00 r-xp /lib/ld-musl-x86_64.so.1", driver));
    }

    @Test
    void otherPlatformsAreLeftToTheDriver() {
        assertEquals("Linux/armv7", SqliteNative.platformFolder("Linux", "arm", () -> "", () -> "Linux/armv7"));
        assertEquals("Mac/aarch64", SqliteNative.platformFolder("Mac OS X", "aarch64", () -> "", () -> "Mac/aarch64"));
    }

    @Test
    void onThisMachineTheFolderIsTheDriversOwn() {
        assertEquals(OSInfo.getNativeLibFolderPathForCurrentOS(), SqliteNative.platformFolder(
                System.getProperty("os.name"), System.getProperty("os.arch"),
                () -> readMaps(), OSInfo::getNativeLibFolderPathForCurrentOS));
    }

    private static String readMaps() {
        try {
            return Files.readString(Path.of("/proc/self/maps"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
