package dev.kedge.edge.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;
import dev.kedge.edge.store.SqlWork;
import dev.kedge.edge.store.StoreException;
import dev.kedge.edge.store.StoreStats;

/**
 * The {@link EdgeStore} service on one SQLite file. A corrupt file (with {@code onCorruption=fail}) or an unusable
 * configuration makes activation fail with an ERROR that says what to do; the service is then absent, and so are the
 * modules that need it. A configuration change restarts the component (no {@code @Modified}): the file is closed and
 * reopened. Tests and tools open it directly with a config annotation instance.
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = SqliteStore.PID, service = EdgeStore.class, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = StoreConfig.class)
public final class SqliteStore implements EdgeStore, AutoCloseable {
    public static final String PID = "dev.kedge.edge.store";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    private final StoreSettings settings;
    private final StoreCounters counters = new StoreCounters();
    private final GroupCommitWriter writer;
    private final ReaderPool readers;
    private final AtomicBoolean open = new AtomicBoolean(true);
    private volatile IntegrityResult integrity;

    /**
     * Checks the file's integrity, then opens it. A corrupt file fails with {@link StoreException.Reason#CORRUPT}
     * or, with quarantine on, is renamed aside and replaced by an empty database.
     */
    @Activate
    public SqliteStore(StoreConfig config) {
        this.settings = checked(config);
        Path file = settings.file();
        int busy = (int) settings.busyTimeout().toMillis();
        try {
            SqliteNative.useDistributionLibrary();
        } catch (IllegalStateException e) { // this tarball has no native library for this machine
            throw notStarted(new StoreException(StoreException.Reason.SQL, e.getMessage(), e));
        }
        Connection writerConn = null;
        try {
            Files.createDirectories(file.getParent());
            this.integrity = checkAtStart(settings);
            writerConn = Connections.writer(file, busy);
            Migrations.createTable(writerConn);
            this.readers = new ReaderPool(file, settings.readConnections(), busy, settings.readWait());
            this.writer = new GroupCommitWriter(writerConn, settings.queueCapacity(), settings.maxBatch(), counters,
                    file.getFileName().toString());
        } catch (SQLException e) {
            Connections.closeQuietly(writerConn);
            throw notStarted(Integrity.isCorruption(e)
                    ? new StoreException(StoreException.Reason.CORRUPT, corruptMessage(file, e.getMessage()), e)
                    : new StoreException(StoreException.Reason.SQL, "cannot open the edge database " + file + ": "
                            + e.getMessage(), e));
        } catch (IOException e) {
            throw notStarted(new StoreException(StoreException.Reason.SQL, "cannot open the edge database " + file
                    + ": " + e, e));
        } catch (StoreException e) {
            Connections.closeQuietly(writerConn);
            throw notStarted(e);
        }
        writer.start();
        LOG.info("edge store open: {} ({} bytes, integrity {} in {} ms)", file, size(file), integrity.summary(),
                integrity.millis());
    }

    private static StoreSettings checked(StoreConfig config) {
        try {
            return StoreSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("invalid configuration {}: {}; the edge store does not start", PID, e.getMessage());
            throw e;
        }
    }

    private static StoreException notStarted(StoreException e) {
        LOG.error("the edge store does not start: {}", e.getMessage());
        return e;
    }

    private static IntegrityResult checkAtStart(StoreSettings settings) throws SQLException, IOException {
        Path file = settings.file();
        IntegrityResult result;
        try (Connection c = Connections.plain(file, (int) settings.busyTimeout().toMillis())) {
            result = Integrity.check(c);
        }
        if (result.ok()) {
            return result;
        }
        if (!settings.quarantine()) {
            throw new StoreException(StoreException.Reason.CORRUPT, corruptMessage(file, result.summary()));
        }
        Path aside = Integrity.quarantine(file);
        LOG.error("edge database {} failed its integrity check ({}); moved to {} (onCorruption=quarantine), starting"
                + " with an empty database: the node re-syncs from the cloud when it connects", file,
                result.summary(), aside);
        return result;
    }

    private static String corruptMessage(Path file, String problems) {
        return "edge database " + file + " is corrupt (" + problems + "). Stop Kedge and move the file (with its -wal"
                + " and -shm files) away or restore a backup; or set onCorruption=quarantine in PID dev.kedge.edge.store"
                + " to have it renamed to <file>.corrupt-<time> and start with an empty database (re-synced from the"
                + " cloud)";
    }

    @Override
    public <T> CompletableFuture<T> write(String what, SqlWork<T> work) {
        WriteTask<T> task = new WriteTask<>(what, work, false);
        writer.submit(task, settings.queueWait());
        return task.future;
    }

    @Override
    public <T> T read(SqlWork<T> work) {
        if (writer.onWriterThread()) {
            try {
                return work.run(writer.connection());
            } catch (SQLException e) {
                throw new StoreException(StoreException.Reason.SQL, "read failed: " + e.getMessage(), e);
            }
        }
        return readers.read(work);
    }

    @Override
    public void migrate(String owner, List<String> steps) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("migration owner is empty");
        }
        List<String> copy = List.copyOf(steps);
        WriteTask<Integer> task = new WriteTask<>("migrate " + owner, c -> Migrations.apply(c, owner, copy), true);
        writer.submit(task, settings.queueWait());
        try {
            task.future.get(settings.migrateTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StoreException se && se.reason() == StoreException.Reason.MIGRATION) {
                throw se;
            }
            throw new StoreException(StoreException.Reason.MIGRATION, "migration of '" + owner + "' failed: "
                    + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new StoreException(StoreException.Reason.TIMEOUT, "migration of '" + owner + "' not done within "
                    + settings.migrateTimeout().toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.CLOSED, "interrupted while migrating '" + owner + "'");
        }
    }

    @Override
    public StoreStats stats() {
        Path file = settings.file();
        return new StoreStats(file.toString(), size(file), size(file.resolveSibling(file.getFileName() + "-wal")),
                writer.queued(), writer.capacity(), counters.commits.sum(), counters.writes.sum(),
                counters.failures.sum(), counters.rejected.sum(), counters.lastCommitNanos / 1e6, counters.lastBatch,
                integrity);
    }

    @Override
    public IntegrityResult checkIntegrity() {
        IntegrityResult r = read(Integrity::check);
        integrity = r;
        if (!r.ok()) {
            LOG.error("edge database {} failed its integrity check: {}", settings.file(), r.summary());
        }
        return r;
    }

    /** Lets queued writes finish (at most {@code wait}), then closes every connection. */
    public void close(Duration wait) {
        if (!open.compareAndSet(true, false)) {
            return;
        }
        try {
            writer.stop(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        readers.close();
        Connections.closeQuietly(writer.connection());
        LOG.info("edge store closed: {}", settings.file());
    }

    @Deactivate
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return -1;
        }
    }
}
