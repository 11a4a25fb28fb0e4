package dev.kedge.edge.edged.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.edge.edged.Edged;

/** {@code edged:status}: the v1.NodeStatus JSON this node would report now. */
@Service
@Command(scope = "edged", name = "status", description = "Prints the node status (v1.NodeStatus JSON) as computed now")
public class StatusCommand implements Action {

    @Reference
    private Edged edged;

    @Override
    public Object execute() {
        System.out.println(edged.nodeStatusJson());
        return null;
    }
}
