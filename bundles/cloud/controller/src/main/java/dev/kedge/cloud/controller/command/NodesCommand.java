package dev.kedge.cloud.controller.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.controller.EdgeController;
import dev.kedge.cloud.controller.EdgeNodeInfo;

@Service
@Command(scope = "edgecontroller", name = "nodes", description = "Edge nodes: labelled, connected, pods sent and acked")
public class NodesCommand implements Action {

    @Reference
    private EdgeController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Node");
        table.column("Edge label");
        table.column("Connected");
        table.column("Pods sent").alignRight();
        table.column("Pods acked").alignRight();
        table.column("ConfigMaps+Secrets sent").alignRight();
        for (EdgeNodeInfo n : controller.nodes()) {
            table.addRow().addContent(n.node(), n.edge() ? "yes" : "no", n.connected() ? "yes" : "no", n.podsSent(),
                    n.podsAcked() < 0 ? "no ledger" : n.podsAcked(), n.objectsSent());
        }
        table.print(System.out);
        return null;
    }
}
