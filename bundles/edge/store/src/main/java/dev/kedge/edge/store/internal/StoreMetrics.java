package dev.kedge.edge.store.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.monitor.ReadinessCheck;
import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.StoreStats;

/**
 * The store for the monitor: {@code store:info} as {@code kedge_store_*}, and readiness {@code store}: the database is
 * open (this component runs only while the store service does) and its writer is not refusing writes right now.
 */
@Component(service = {MetricSource.class, ReadinessCheck.class}, property = ReadinessCheck.NAME + "=store")
public final class StoreMetrics implements MetricSource, ReadinessCheck {
    private final EdgeStore store;

    @Activate
    public StoreMetrics(@Reference EdgeStore store) {
        this.store = store;
    }

    @Override
    public void collect(MetricWriter out) {
        StoreStats s = store.stats();
        out.counter("kedge_store_commits_total", "Transactions committed", s.commits());
        out.counter("kedge_store_writes_total", "Writes committed", s.writes());
        out.counter("kedge_store_write_failures_total", "Writes that failed", s.failures());
        out.counter("kedge_store_writes_rejected_total", "Writes refused because the queue stayed full", s.rejected());
        out.gauge("kedge_store_write_queue_depth", "Writes waiting for the writer thread", s.queued());
        out.gauge("kedge_store_write_queue_capacity", "Bound of the write queue", s.queueCapacity());
        out.gauge("kedge_store_file_bytes", "Size of the database file", s.sizeBytes());
        out.gauge("kedge_store_wal_bytes", "Size of the write-ahead log", s.walBytes());
        out.gauge("kedge_store_last_commit_ms", "Duration of the latest commit", s.lastCommitMillis());
    }

    @Override
    public Readiness check() {
        StoreStats s = store.stats();
        return s.queued() >= s.queueCapacity() ? Readiness.notReady("write queue full (" + s.queued() + ")")
                : Readiness.ready("open: " + s.file());
    }
}
