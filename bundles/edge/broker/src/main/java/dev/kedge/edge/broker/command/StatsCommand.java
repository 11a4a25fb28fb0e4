package dev.kedge.edge.broker.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.broker.BrokerStats;
import dev.kedge.edge.broker.MqttBroker;

/** {@code broker:stats}: listener state, connections, messages and bytes through the embedded broker. */
@Service
@Command(scope = "broker", name = "stats", description = "Shows the embedded MQTT broker's state and counters")
public class StatsCommand implements Action {

    @Reference
    private MqttBroker broker;

    @Override
    public Object execute() {
        BrokerStats s = broker.stats();
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("State", s.running() ? "RUNNING" : "STOPPED");
        t.addRow().addContent("Listeners", s.listeners());
        if (!s.error().isEmpty()) {
            t.addRow().addContent("Error", s.error());
        }
        t.addRow().addContent("Connections", s.connections());
        t.addRow().addContent("Connects since start", s.connects());
        t.addRow().addContent("Publishes in", s.publishesIn() + " (" + s.payloadBytesIn() + " payload bytes)");
        t.addRow().addContent("Retained, kept for in-process listeners", s.retainedKept() + " topics"
                + (s.retainedNotKept() == 0 ? "" : " (" + s.retainedNotKept() + " publishes beyond the bound not kept)"));
        t.addRow().addContent("Malformed packets (connection closed)", s.malformedPackets());
        t.addRow().addContent("Oversize packets (connection closed)", s.oversizePackets());
        t.addRow().addContent("Dropped messages (queue or retained store full)", s.droppedMessages());
        t.addRow().addContent("Connections refused (maxConnections open)", s.connectionsRefused());
        t.addRow().addContent("Closed: replies unread (maxPendingAcks)", s.ackBacklogsClosed());
        t.addRow().addContent("Closed: write timeout (writeTimeoutSeconds)", s.writeTimeouts());
        t.addRow().addContent("Closed on accept: backlog of accepted connections full", s.acceptDropped());
        t.addRow().addContent("Accept failures (e.g. too many open files)", s.acceptFailures());
        t.print(System.out);
        return null;
    }
}
