package dev.kedge.edge.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.store.testing.TestStores;

/** A deliberately damaged database file: refused by default, renamed aside with onCorruption=quarantine. */
class CorruptionTest {
    @TempDir
    Path dir;

    @Test
    void corruptFileIsRefusedWithAClearError() throws Exception {
        Path file = damagedDatabase();
        StoreException e = assertThrows(StoreException.class, () -> TestStores.open(file));
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("onCorruption=quarantine"), e.getMessage());
        assertTrue(Files.exists(file), "the file is left as it was");
    }

    @Test
    void corruptFileIsQuarantinedAndTheStoreStartsEmpty() throws Exception {
        Path file = damagedDatabase();
        try (SqliteStore store = TestStores.open(file, Map.of("onCorruption", "quarantine"))) {
            assertFalse(store.stats().integrity().ok(), "the failed check is reported");
            assertTrue(store.checkIntegrity().ok());
            store.migrate("test", List.of("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)"));
            assertEquals(0, SqliteStoreTest.count(store, "SELECT count(*) FROM kv"));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("edgecore.db.corrupt-")));
        }
    }

    @Test
    void fileThatIsNotADatabaseCountsAsCorrupt() throws Exception {
        Path file = dir.resolve("edgecore.db");
        byte[] junk = new byte[8192];
        Arrays.fill(junk, (byte) 0x5a);
        Files.write(file, junk);
        StoreException e = assertThrows(StoreException.class, () -> TestStores.open(file));
        assertEquals(StoreException.Reason.CORRUPT, e.reason());
    }

    /** A real database whose table pages are overwritten, header intact. */
    private Path damagedDatabase() throws IOException {
        Path file = dir.resolve("edgecore.db");
        try (SqliteStore store = TestStores.open(file)) {
            store.migrate("test", List.of("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT)",
                    "CREATE INDEX kv_v ON kv (v)"));
            store.write("fill", c -> {
                try (PreparedStatement p = c.prepareStatement("INSERT INTO kv VALUES (?, ?)")) {
                    for (int i = 0; i < 3000; i++) {
                        p.setString(1, "key-" + i);
                        p.setString(2, "value-" + i + "-".repeat(i % 50));
                        p.executeUpdate();
                    }
                }
                return null;
            }).join();
            store.close(Duration.ofSeconds(5));
        }
        long size = Files.size(file);
        assertTrue(size > 40_000, "database big enough to damage: " + size);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[4096 * 4];
            Arrays.fill(garbage, (byte) 0xA7);
            raf.seek(size / 2);
            raf.write(garbage);
        }
        return file;
    }
}
