package dev.kedge.edge.meta.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.meta.MetaStats;

/** What {@code meta:stats} shows, as {@code kedge_meta_*}: rows, acks after commit, remote and local answers. */
@Component(service = MetricSource.class)
public final class MetaMetrics implements MetricSource {
    private final MetaManager meta;

    @Activate
    public MetaMetrics(@Reference MetaManager meta) {
        this.meta = meta;
    }

    @Override
    public void collect(MetricWriter out) {
        MetaStats s = meta.stats();
        out.gauge("kedge_meta_rows", "Rows in the meta table", s.rows());
        out.counter("kedge_meta_stored_total", "Rows written (cloud objects, edge reports, remote answers)", s.stored());
        out.counter("kedge_meta_stale_total", "Cloud objects older than the stored row (kept the stored one)", s.stale());
        out.counter("kedge_meta_deleted_total", "Rows deleted", s.deleted());
        out.counter("kedge_meta_acks_total", "Acks sent to the cloud after the commit", s.acks());
        out.counter("kedge_meta_failed_writes_total", "Writes that failed (not acked: the cloud resends)", s.failedWrites());
        out.counter("kedge_meta_remote_total", "Remote operations", s.remoteOk(), "result", "ok");
        out.counter("kedge_meta_remote_total", "Remote operations", s.remoteFailed(), "result", "failed");
        out.counter("kedge_meta_local_answers_total", "Queries answered from the meta table", s.localAnswers());
        out.counter("kedge_meta_to_cloud_total", "Edge messages forwarded to the cloud", s.toCloud());
        out.counter("kedge_meta_bad_messages_total", "Messages refused", s.badMessages());
    }
}
