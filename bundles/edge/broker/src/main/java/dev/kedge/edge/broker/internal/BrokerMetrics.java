package dev.kedge.edge.broker.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.edge.broker.BrokerStats;
import dev.kedge.edge.broker.MqttBroker;

/** What {@code broker:stats} shows, as {@code kedge_broker_*}: connections, publishes, packets and drops. */
@Component(service = MetricSource.class)
public final class BrokerMetrics implements MetricSource {
    private final MqttBroker broker;

    @Activate
    public BrokerMetrics(@Reference MqttBroker broker) {
        this.broker = broker;
    }

    @Override
    public void collect(MetricWriter out) {
        BrokerStats s = broker.stats();
        out.gauge("kedge_broker_running", "1 while the embedded MQTT broker listens", s.running() ? 1 : 0);
        out.gauge("kedge_broker_connections", "MQTT clients connected now", s.connections());
        out.counter("kedge_broker_connects_total", "MQTT client connections accepted", s.connects());
        out.counter("kedge_broker_publishes_received_total", "PUBLISH packets received", s.publishesIn());
        out.counter("kedge_broker_payload_received_bytes_total", "Payload bytes received", s.payloadBytesIn());
        out.counter("kedge_broker_malformed_packets_total", "Connections closed for a malformed packet",
                s.malformedPackets());
        out.counter("kedge_broker_oversize_packets_total", "Connections closed for an oversize packet",
                s.oversizePackets());
        out.counter("kedge_broker_dropped_messages_total", "Deliveries dropped: a session queue full",
                s.droppedMessages());
        out.counter("kedge_broker_connections_refused_total", "Connections refused: maxConnections open",
                s.connectionsRefused());
        out.counter("kedge_broker_ack_backlog_closed_total",
                "Connections closed: more than maxPendingAcks replies unread", s.ackBacklogsClosed());
        out.counter("kedge_broker_write_timeouts_total",
                "Connections closed: a socket write took longer than writeTimeoutSeconds", s.writeTimeouts());
    }
}
