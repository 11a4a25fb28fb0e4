package dev.kedge.itests.modules.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.itests.modules.CloudResponder;

@Service
@Command(scope = "itest", name = "cloud-stats", description = "Print the cloud responder's counters as one key=value line")
public class CloudStatsCommand implements Action {

    // optional: Karaf registers a bundle's commands only when every mandatory reference is there, and each side
    // configures only one of the two components
    @Reference(optional = true)
    private CloudResponder responder;

    @Argument(index = 0, name = "node", description = "Restrict keys and sumFinalVersions to this node's objects")
    private String node;

    @Option(name = "-r", aliases = "--reset", description = "Zero the counters and forget sent keys after printing")
    private boolean reset;

    @Override
    public Object execute() {
        if (responder == null) {
            throw new IllegalStateException("not active here: configure PID dev.kedge.itests.cloudresponder");
        }
        System.out.println(responder.stats(node));
        if (reset) {
            responder.reset();
        }
        return null;
    }
}
