package dev.kedge.itests.modules.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.itests.modules.EdgeApplier;

@Service
@Command(scope = "itest", name = "edge-stats", description = "Print the edge applier's counters as one key=value line")
public class EdgeStatsCommand implements Action {

    // optional: Karaf registers a bundle's commands only when every mandatory reference is there, and each side
    // configures only one of the two components
    @Reference(optional = true)
    private EdgeApplier applier;

    @Option(name = "-r", aliases = "--reset", description = "Zero the counters and applied versions after printing")
    private boolean reset;

    @Override
    public Object execute() {
        if (applier == null) {
            throw new IllegalStateException("not active here: configure PID dev.kedge.itests.edgeapplier");
        }
        System.out.println(applier.stats());
        if (reset) {
            applier.reset();
        }
        return null;
    }
}
