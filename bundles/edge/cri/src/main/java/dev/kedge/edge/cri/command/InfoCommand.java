package dev.kedge.edge.cri.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.cri.CallStats;
import dev.kedge.edge.cri.ContainerRuntime;
import dev.kedge.edge.cri.RuntimeCallException;
import dev.kedge.edge.cri.RuntimeStatus;
import dev.kedge.edge.cri.RuntimeVersion;

/** {@code cri:info}: the container runtime's endpoint, version and readiness, or why it cannot be reached. */
@Service
@Command(scope = "cri", name = "info", description = "Shows the container runtime (CRI): endpoint, version, readiness")
public class InfoCommand implements Action {

    @Reference
    private ContainerRuntime runtime;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("Endpoint", runtime.endpoint());
        try {
            RuntimeVersion v = runtime.version();
            t.addRow().addContent("Runtime", v.runtimeName() + " " + v.runtimeVersion());
            t.addRow().addContent("CRI API", v.runtimeApiVersion());
            RuntimeStatus s = runtime.status();
            t.addRow().addContent("RuntimeReady", s.runtimeReady());
            t.addRow().addContent("NetworkReady", s.networkReady());
            if (!s.runtimeReady() || !s.networkReady()) {
                t.addRow().addContent("Reason", (s.reason() + " " + s.message()).strip());
            }
        } catch (RuntimeCallException e) {
            t.addRow().addContent("RuntimeReady", false);
            t.addRow().addContent("Error", e.getMessage());
        }
        CallStats c = runtime.callStats();
        t.addRow().addContent("Calls", c.calls());
        t.addRow().addContent("  runtime errors", c.runtimeErrors());
        t.addRow().addContent("  protocol errors", c.protocolErrors());
        t.addRow().addContent("  timeouts", c.timeouts());
        t.addRow().addContent("  unavailable", c.unavailable());
        t.print(System.out);
        return null;
    }
}
