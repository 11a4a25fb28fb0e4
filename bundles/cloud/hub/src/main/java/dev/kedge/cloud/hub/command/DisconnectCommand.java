package dev.kedge.cloud.hub.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.cloud.hub.CloudHub;

/** Drops a node's connection (it reconnects by itself); queued messages stay and are sent after. */
@Service
@Command(scope = "cloudhub", name = "disconnect", description = "Close an edge node's connection; it will reconnect")
public class DisconnectCommand implements Action {

    @Reference
    private CloudHub hub;

    @Argument(index = 0, name = "node", description = "Node name", required = true)
    private String node;

    @Override
    public Object execute() {
        System.out.println(hub.disconnect(node) ? "disconnected " + node : node + " is not connected");
        return null;
    }
}
