package dev.kedge.edge.eventbus.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.eventbus.BrokerLinkStatus;
import dev.kedge.edge.eventbus.EventBus;
import dev.kedge.edge.eventbus.EventBusStatus;

/** {@code eventbus:status}: mode, brokers and their connection, subscriptions, counters. */
@Service
@Command(scope = "eventbus", name = "status", description = "Shows EventBus's mode, brokers, subscriptions and counters")
public class StatusCommand implements Action {

    @Reference
    private EventBus eventBus;

    @Override
    public Object execute() {
        EventBusStatus s = eventBus.status();
        if (!s.configError().isEmpty()) {
            System.out.println("NOT RUNNING: " + s.configError());
        }
        System.out.println("Mode " + s.mode() + " (" + s.modeName() + "), node " + s.nodeName() + ", "
                + (s.defaultTopics().size() + s.storedTopics().size()) + " subscriptions ("
                + s.storedTopics().size() + " from sub_topics)");
        ShellTable brokers = new ShellTable();
        brokers.column("Broker");
        brokers.column("URL");
        brokers.column("Client ID");
        brokers.column("State"); // CONNECTED (and subscribed) or CONNECTING (retrying with backoff)
        brokers.column("Connects");
        brokers.column("Pending");
        brokers.column("Last error");
        for (BrokerLinkStatus b : s.brokers()) {
            brokers.addRow().addContent(b.name(), b.url(), b.clientId(), b.connected() ? "CONNECTED" : "CONNECTING",
                    b.connects(), b.pending(), b.lastError());
        }
        brokers.print(System.out);
        ShellTable t = new ShellTable();
        t.column("Counter");
        t.column("Value");
        t.addRow().addContent("MQTT messages in", s.received());
        t.addRow().addContent("  to DeviceTwin (twin)", s.toTwin());
        t.addRow().addContent("  to the cloud (hub)", s.toHub());
        t.addRow().addContent("MQTT publishes out", s.published());
        t.addRow().addContent("Errors", s.errors());
        t.addRow().addContent("Dropped", s.dropped());
        t.addRow().addContent("Malformed JSON (passed on)", s.malformed());
        t.addRow().addContent("Oversized (dropped)", s.oversized());
        t.addRow().addContent("Unknown topics (dropped)", s.unknownTopics());
        t.print(System.out);
        return null;
    }
}
