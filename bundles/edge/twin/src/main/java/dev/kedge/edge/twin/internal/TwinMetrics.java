package dev.kedge.edge.twin.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinStats;

/** What {@code twin:stats} shows, as {@code kedge_twin_*}: devices, twins, updates, syncs, refusals. */
@Component(service = MetricSource.class)
public final class TwinMetrics implements MetricSource {
    private final DeviceTwin twin;

    @Activate
    public TwinMetrics(@Reference DeviceTwin twin) {
        this.twin = twin;
    }

    @Override
    public void collect(MetricWriter out) {
        TwinStats s = twin.stats();
        out.gauge("kedge_twin_devices", "Member devices", s.devices());
        out.gauge("kedge_twin_twins", "Twins", s.twins());
        out.counter("kedge_twin_updates_total", "Twin updates from mappers applied and committed", s.twinUpdates());
        out.counter("kedge_twin_cloud_syncs_total", "Desired-value syncs from the cloud applied", s.cloudSyncs());
        out.counter("kedge_twin_version_conflicts_total", "Cloud syncs refused: the edge's copy is newer", s.versionConflicts());
        out.counter("kedge_twin_bad_messages_total", "Messages refused (malformed, wrong types, oversized)", s.badMessages());
        out.counter("kedge_twin_unknown_devices_total", "Messages for a device that is not a member", s.unknownDevices());
        out.counter("kedge_twin_failed_writes_total", "Writes the store refused or could not commit", s.failedWrites());
        out.gauge("kedge_twin_outbox_pending", "Reports waiting in SQLite for the cloud", s.outboxPending());
        out.counter("kedge_twin_to_cloud_total", "Reports handed to EdgeHub", s.toCloud());
        out.counter("kedge_twin_to_mappers_total", "Messages handed to EventBus for MQTT", s.toMappers());
        out.counter("kedge_twin_dropped_publishes_total", "Messages to mappers not sent: publish queue full", s.droppedPublishes());
    }
}
