package dev.kedge.itests.modules.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.itests.modules.CloudResponder;

/** Downstream load: configmap inserts then updates, with increasing resourceVersions, through CloudHub. */
@Service
@Command(scope = "itest", name = "cloud-down", description = "Send <updates> versions of configmaps cm-0..cm-<objects-1> to a node via CloudHub")
public class CloudDownCommand implements Action {

    // optional: Karaf registers a bundle's commands only when every mandatory reference is there, and each side
    // configures only one of the two components
    @Reference(optional = true)
    private CloudResponder responder;

    @Argument(index = 0, name = "node", description = "Edge node id", required = true)
    private String node;

    @Argument(index = 1, name = "objects", description = "Number of configmaps", required = true)
    private int objects;

    @Argument(index = 2, name = "updates", description = "Versions per configmap (the first is an insert)", required = true)
    private int updates;

    @Option(name = "--rate", description = "Messages per second (default: as fast as the bus takes them)")
    private int rate;

    @Override
    public Object execute() {
        if (responder == null) {
            throw new IllegalStateException("not active here: configure PID dev.kedge.itests.cloudresponder");
        }
        System.out.println(responder.downstream(node, objects, updates, rate).summary());
        return null;
    }
}
