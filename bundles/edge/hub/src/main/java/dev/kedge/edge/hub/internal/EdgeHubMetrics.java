package dev.kedge.edge.hub.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.monitor.ReadinessCheck;
import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.hub.EdgeHubStatus;
import dev.kedge.edge.hub.EdgeHubStatus.State;

/**
 * EdgeHub for the monitor: {@code edgehub:status} as {@code kedge_edgehub_*}, and readiness {@code edgehub}: connected
 * to the cloud, or joined and offline (MetaManager answers from the database meanwhile); a node never joined is not.
 */
@Component(service = {MetricSource.class, ReadinessCheck.class}, property = ReadinessCheck.NAME + "=edgehub")
public final class EdgeHubMetrics implements MetricSource, ReadinessCheck {
    private final EdgeHub hub;

    @Activate
    public EdgeHubMetrics(@Reference EdgeHub hub) {
        this.hub = hub;
    }

    @Override
    public void collect(MetricWriter out) {
        EdgeHubStatus s = hub.status();
        out.gauge("kedge_edgehub_connected", "1 while the WebSocket to CloudHub is open", s.state() == State.CONNECTED ? 1 : 0);
        out.counter("kedge_edgehub_reconnects_total", "Connections re-established after a loss", s.reconnects());
        out.counter("kedge_edgehub_frames_received_total", "Frames received from CloudHub", s.framesIn());
        out.counter("kedge_edgehub_frames_sent_total", "Frames written to CloudHub (keepalives included)", s.framesOut());
        out.gauge("kedge_edgehub_outbox_depth", "Upstream messages waiting to be written", s.outboxDepth());
        out.gauge("kedge_edgehub_outbox_capacity", "Bound of EdgeHub's mailbox (outboxCapacity)", s.outboxCapacity());
        out.counter("kedge_edgehub_bad_frames_total", "Frames refused: malformed or too large", s.badFrames());
        out.counter("kedge_edgehub_unroutable_total", "Cloud messages no edge module could take", s.unroutable());
        out.counter("kedge_edgehub_upstream_rejected_total", "Upstream messages refused (mailbox full, offline sync)",
                s.upstreamRejected());
    }

    @Override
    public Readiness check() {
        EdgeHubStatus s = hub.status();
        return switch (s.state()) {
            case CONNECTED -> Readiness.ready("connected to " + s.server());
            case NOT_JOINED -> Readiness.notReady("not joined: run kedge:join");
            default -> Readiness.ready("offline (" + s.state() + "), serving from the database"
                    + (s.lastError().isEmpty() ? "" : "; last error: " + s.lastError()));
        };
    }
}
