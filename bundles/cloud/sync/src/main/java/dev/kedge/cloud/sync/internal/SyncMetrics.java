package dev.kedge.cloud.sync.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.CounterMaps;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;

/** What {@code sync:stats} shows, as {@code kedge_synccontroller_*} (acks recorded, ObjectSync writes, queue). */
@Component(service = MetricSource.class)
public final class SyncMetrics implements MetricSource {
    private final SyncDiagnostics sync;

    @Activate
    public SyncMetrics(@Reference SyncDiagnostics sync) {
        this.sync = sync;
    }

    @Override
    public void collect(MetricWriter out) {
        CounterMaps.write(out, "synccontroller", "SyncController", sync.counters(), Set.of("pendingWrites"));
    }
}
