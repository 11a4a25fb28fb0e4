package dev.kedge.cloud.hub.command;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.hub.CloudHub;
import dev.kedge.cloud.hub.NodeInfo;

@Service
@Command(scope = "cloudhub", name = "nodes", description = "List edge nodes: connection, queues, acks")
public class NodesCommand implements Action {

    @Reference
    private CloudHub hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("Remote address");
        table.column("Connected since");
        table.column("Ack queue").alignRight();
        table.column("No-ack queue").alignRight();
        table.column("Acks pending").alignRight();
        table.column("Sent").alignRight();
        table.column("Received").alignRight();
        table.column("Resends").alignRight();
        for (NodeInfo n : hub.nodes()) {
            table.addRow().addContent(n.node(), n.remoteAddress(), since(n.connectedSince()), n.ackQueue(),
                    n.noAckQueue(), n.acksPending(), n.sent(), n.received(), n.resends());
        }
        table.print(System.out);
        return null;
    }

    private static String since(Instant t) {
        if (t == null) {
            return "offline";
        }
        return t + " (" + Duration.between(t, Instant.now()).toSeconds() + " s)";
    }
}
