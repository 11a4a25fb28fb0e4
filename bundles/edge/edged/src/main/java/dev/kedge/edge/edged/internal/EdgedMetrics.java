package dev.kedge.edge.edged.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedNodeInfo;

/** What {@code edged:status} shows, as {@code kedge_edged_*}: pods, registration, status and lease bookkeeping. */
@Component(service = MetricSource.class)
public final class EdgedMetrics implements MetricSource {
    private final Edged edged;

    @Activate
    public EdgedMetrics(@Reference Edged edged) {
        this.edged = edged;
    }

    @Override
    public void collect(MetricWriter out) {
        EdgedNodeInfo n = edged.node();
        out.gauge("kedge_edged_pods", "Pods this node runs", edged.pods().size());
        out.gauge("kedge_edged_registered", "1 once the node is registered", n.registered() ? 1 : 0);
        out.counter("kedge_edged_registrations_total", "Node registrations", n.registrations(), "result", "ok");
        out.counter("kedge_edged_registrations_total", "Node registrations", n.registrationFailures(), "result", "failed");
        out.counter("kedge_edged_node_status_total", "Node status reports", n.statusSent(), "result", "sent");
        out.counter("kedge_edged_node_status_total", "Node status reports", n.statusSkipped(), "result", "skipped");
        out.counter("kedge_edged_node_status_total", "Node status reports", n.statusFailed(), "result", "failed");
        out.counter("kedge_edged_lease_renewals_total", "Lease renewals", n.leaseOk(), "result", "ok");
        out.counter("kedge_edged_lease_renewals_total", "Lease renewals", n.leaseFailed(), "result", "failed");
        out.counter("kedge_edged_ignored_messages_total", "Messages edged ignored", n.ignoredMessages());
    }
}
