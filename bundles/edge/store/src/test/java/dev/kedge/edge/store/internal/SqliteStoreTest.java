package dev.kedge.edge.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.store.StoreStats;
import dev.kedge.edge.store.testing.TestStores;

class SqliteStoreTest {
    private static final List<String> KV = List.of("CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT NOT NULL)");

    @TempDir
    Path dir;
    private SqliteStore store;

    @AfterEach
    void close() {
        if (store != null) {
            store.close(Duration.ofSeconds(5));
        }
    }

    @Test
    void opensInWalModeWithForeignKeysAndNormalSync() {
        store = TestStores.open(dir.resolve("db/edgecore.db"));
        String mode = store.read(c -> text(c.createStatement(), "PRAGMA journal_mode"));
        assertEquals("wal", mode);
        long[] pragmas = write(c -> {
            Statement s = c.createStatement();
            return new long[] {Long.parseLong(text(s, "PRAGMA foreign_keys")), Long.parseLong(text(s, "PRAGMA synchronous"))};
        });
        assertEquals(1, pragmas[0]);
        assertEquals(1, pragmas[1]); // NORMAL
        assertTrue(store.stats().integrity().ok());
    }

    @Test
    void writeCompletesAfterCommitSoReadersSeeIt() throws Exception {
        store = TestStores.open(dir.resolve("edgecore.db"));
        store.migrate("test", KV);
        List<CompletableFuture<String>> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String key = "k" + i;
            // the completion runs right after the commit: a reader connection must already see the row
            seen.add(store.write("put " + key, c -> put(c, key, "v")).thenApply(x -> value(key)));
        }
        for (CompletableFuture<String> f : seen) {
            assertEquals("v", f.get(10, TimeUnit.SECONDS));
        }
        StoreStats s = store.stats();
        assertEquals(501, s.writes()); // and the migration
        assertTrue(s.commits() <= 500, "group commit: at most one commit per write");
        assertEquals(0, s.failures());
    }

    @Test
    void failingWriteDoesNotFailItsNeighbours() throws Exception {
        store = TestStores.open(dir.resolve("edgecore.db"));
        store.migrate("test", KV);
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Object> blocker = store.write("block", c -> await(gate));
        CompletableFuture<Integer> a = store.write("a", c -> put(c, "a", "1"));
        CompletableFuture<Integer> bad = store.write("bad", c -> put(c, "b", null)); // NOT NULL violation
        CompletableFuture<Integer> b = store.write("b", c -> put(c, "c", "3"));
        gate.countDown();
        blocker.get(5, TimeUnit.SECONDS);
        assertEquals(1, a.get(5, TimeUnit.SECONDS));
        assertEquals(1, b.get(5, TimeUnit.SECONDS));
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
        assertEquals(StoreException.Reason.SQL, ((StoreException) e.getCause()).reason());
        assertEquals("1", value("a"));
        assertEquals("3", value("c"));
        assertEquals(null, value("b"));
        assertEquals(1, store.stats().failures());
    }

    @Test
    void failedCommitIsRetriedWriteByWrite() throws Exception {
        store = TestStores.open(dir.resolve("edgecore.db"));
        // a deferred foreign key is checked at COMMIT: the one bad write makes the group commit fail
        store.migrate("test", List.of("CREATE TABLE parent (id TEXT PRIMARY KEY)",
                "CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"));
        store.write("parent", c -> exec(c.createStatement(), "INSERT INTO parent VALUES ('p')")).get(5, TimeUnit.SECONDS);
        CountDownLatch gate = new CountDownLatch(1);
        store.write("block", c -> await(gate));
        CompletableFuture<Integer> good1 = store.write("good1", c -> exec(c.createStatement(), "INSERT INTO child VALUES ('1', 'p')"));
        CompletableFuture<Integer> orphan = store.write("orphan", c -> exec(c.createStatement(), "INSERT INTO child VALUES ('2', 'none')"));
        CompletableFuture<Integer> good2 = store.write("good2", c -> exec(c.createStatement(), "INSERT INTO child VALUES ('3', 'p')"));
        gate.countDown();
        assertEquals(1, good1.get(5, TimeUnit.SECONDS));
        assertEquals(1, good2.get(5, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class, () -> orphan.get(5, TimeUnit.SECONDS));
        assertEquals(2, SqliteStoreTest.count(store, "SELECT count(*) FROM child"));
    }

    @Test
    void fullQueueRefusesAfterTheWaitAndCounts() throws Exception {
        store = TestStores.open(dir.resolve("edgecore.db"), Map.of("writeQueueCapacity", 2, "writeQueueWaitMs", 50));
        CountDownLatch gate = new CountDownLatch(1);
        CompletableFuture<Object> running = store.write("block", c -> await(gate));
        waitUntil(() -> store.stats().queued() == 0); // the writer holds it
        store.write("q1", c -> null);
        store.write("q2", c -> null);
        long t0 = System.nanoTime();
        StoreException e = assertThrows(StoreException.class, () -> store.write("q3", c -> null));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(40), "waited before refusing");
        assertEquals(StoreException.Reason.QUEUE_FULL, e.reason());
        assertTrue(e.getMessage().contains("q3"), e.getMessage());
        assertEquals(1, store.stats().rejected());
        gate.countDown();
        running.get(5, TimeUnit.SECONDS);
    }

    @Test
    void migrationsRunOnceAndSurviveRestart() throws Exception {
        Path file = dir.resolve("edgecore.db");
        store = TestStores.open(file);
        store.migrate("test", KV);
        write(c -> put(c, "x", "1"));
        store.close(Duration.ofSeconds(5));

        store = TestStores.open(file);
        store.migrate("test", KV); // already applied: no "table exists" error
        store.migrate("test", List.of(KV.get(0), "CREATE INDEX kv_v ON kv (v)"));
        assertEquals("1", value("x"));
        assertEquals(2, SqliteStoreTest.count(store, "SELECT count(*) FROM kedge_schema WHERE owner = 'test'"));
    }

    @Test
    void failingMigrationStepNamesTheStepAndKeepsEarlierOnes() {
        store = TestStores.open(dir.resolve("edgecore.db"));
        StoreException e = assertThrows(StoreException.class,
                () -> store.migrate("broken", List.of("CREATE TABLE ok1 (a)", "CREATE TABLEX nope")));
        assertEquals(StoreException.Reason.MIGRATION, e.reason());
        assertTrue(e.getMessage().contains("step 2 of 'broken'"), e.getMessage());
        assertEquals(1, SqliteStoreTest.count(store, "SELECT count(*) FROM kedge_schema WHERE owner = 'broken'"));
    }

    @Test
    void concurrentWritersAndReadersNeverSeeLocked() throws Exception {
        store = TestStores.open(dir.resolve("edgecore.db"));
        store.migrate("test", KV);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 8; t++) {
            int id = t;
            threads.add(startThread(() -> {
                try {
                    for (int i = 0; i < 300; i++) {
                        String k = id + "-" + i;
                        store.write(k, c -> put(c, k, "v")).get(10, TimeUnit.SECONDS);
                        store.read(c -> text(c.createStatement(), "SELECT count(*) FROM kv"));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(2400, SqliteStoreTest.count(store, "SELECT count(*) FROM kv"));
    }

    @Test
    void writesQueuedAtCloseAreCommitted() throws Exception {
        Path file = dir.resolve("edgecore.db");
        store = TestStores.open(file);
        store.migrate("test", KV);
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String k = "k" + i;
            all.add(store.write(k, c -> put(c, k, "v")));
        }
        store.close(Duration.ofSeconds(10));
        for (CompletableFuture<Integer> f : all) {
            assertTrue(f.isDone() && !f.isCompletedExceptionally());
        }
        store = TestStores.open(file);
        assertEquals(1000, SqliteStoreTest.count(store, "SELECT count(*) FROM kv"));
        assertThrows(StoreException.class, () -> {
            SqliteStore closed = TestStores.open(dir.resolve("other.db"));
            closed.close(Duration.ofSeconds(1));
            closed.write("late", c -> null);
        });
        assertFalse(store.stats().file().isEmpty());
    }

    // helpers

    private <T> T write(dev.kedge.edge.store.SqlWork<T> work) {
        return store.write("test", work).join();
    }

    private String value(String key) {
        return store.read(c -> {
            try (PreparedStatement q = c.prepareStatement("SELECT v FROM kv WHERE k = ?")) {
                q.setString(1, key);
                try (ResultSet rs = q.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    static int put(java.sql.Connection c, String k, String v) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT OR REPLACE INTO kv (k, v) VALUES (?, ?)")) {
            p.setString(1, k);
            p.setString(2, v);
            return p.executeUpdate();
        }
    }

    static String text(Statement s, String sql) throws SQLException {
        try (s; ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static int exec(Statement s, String sql) throws SQLException {
        try (s) {
            return s.executeUpdate(sql);
        }
    }

    private static Object await(CountDownLatch gate) {
        try {
            gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    static long count(SqliteStore store, String sql) {
        return store.read(c -> Long.parseLong(text(c.createStatement(), sql)));
    }

    private static Thread startThread(Runnable r) {
        Thread t = new Thread(r);
        t.start();
        return t;
    }

    static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met in 5 s");
            }
            Thread.sleep(5);
        }
    }
}
