package dev.kedge.cloud.hub.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.cloud.hub.CloudHub;
import dev.kedge.cloud.hub.NodeInfo;
import dev.kedge.core.monitor.CounterMaps;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.monitor.ReadinessCheck;

/**
 * CloudHub for the monitor: {@code cloudhub:stats} as {@code kedge_cloudhub_*}, node queues and frames summed over
 * nodes (per-node series would grow with the fleet), and readiness {@code cloudhub}: its servers started with it.
 */
@Component(service = {MetricSource.class, ReadinessCheck.class}, property = ReadinessCheck.NAME + "=cloudhub")
public final class CloudHubMetrics implements MetricSource, ReadinessCheck {
    /** Counters of {@link CloudHub#counters()} that go up and down. */
    static final Set<String> GAUGES = Set.of("connectedNodes", "wsPendingConnections", "httpsPendingConnections");

    private final CloudHub hub;

    @Activate
    public CloudHubMetrics(@Reference CloudHub hub) {
        this.hub = hub;
    }

    @Override
    public void collect(MetricWriter out) {
        CounterMaps.write(out, "cloudhub", "CloudHub", hub.counters(), GAUGES);
        long ackQueue = 0;
        long noAckQueue = 0;
        long acksPending = 0;
        long sent = 0;
        long received = 0;
        long resends = 0;
        int nodes = 0;
        for (NodeInfo n : hub.nodes()) {
            nodes++;
            ackQueue += n.ackQueue();
            noAckQueue += n.noAckQueue();
            acksPending += n.acksPending();
            sent += n.sent();
            received += n.received();
            resends += n.resends();
        }
        out.gauge("kedge_cloudhub_nodes_known", "Nodes connected or with messages queued while offline", nodes);
        out.gauge("kedge_cloudhub_queued_messages", "Messages queued for nodes", ackQueue, "queue", "ack");
        out.gauge("kedge_cloudhub_queued_messages", "Messages queued for nodes", noAckQueue, "queue", "noack");
        out.gauge("kedge_cloudhub_acks_pending", "Messages sent and waiting for the edge's ack", acksPending);
        // sums over the nodes known now: a node that is forgotten takes its share with it
        out.gauge("kedge_cloudhub_frames_sent", "Frames sent to the nodes known now", sent);
        out.gauge("kedge_cloudhub_frames_received", "Frames received from the nodes known now", received);
        out.gauge("kedge_cloudhub_resends", "Messages resent after an ack timeout, nodes known now", resends);
    }

    @Override
    public Readiness check() {
        return Readiness.ready("serving, " + hub.counters().getOrDefault("connectedNodes", 0L) + " nodes connected");
    }
}
