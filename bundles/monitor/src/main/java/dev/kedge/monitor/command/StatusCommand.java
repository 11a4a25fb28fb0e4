package dev.kedge.monitor.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.core.monitor.Readiness;
import dev.kedge.monitor.Monitor;
import dev.kedge.monitor.MonitorStatus;

@Service
@Command(scope = "monitor", name = "status", description = "Monitor endpoint: address, readiness checks, requests and refusals")
public class StatusCommand implements Action {

    @Reference
    private Monitor monitor;

    @Option(name = "-m", aliases = "--metrics", description = "Print what /metrics answers now")
    boolean metrics;

    @Override
    public Object execute() {
        if (metrics) {
            System.out.print(monitor.metrics());
            return null;
        }
        MonitorStatus s = monitor.status();
        System.out.println("Endpoint  http://" + s.address() + "  (/healthz, /readyz, /metrics)");
        System.out.println("Ready     " + (s.ready() ? "yes" : "NO"));
        System.out.println("Sources   " + s.sources() + " metric sources");
        System.out.println("Requests  " + s.requests() + " answered, " + s.badRequests() + " bad, " + s.refused()
                + " connections refused, " + s.timedOut() + " timed out");
        ShellTable table = new ShellTable();
        table.column("Check");
        table.column("Ready");
        table.column("Detail");
        for (Map.Entry<String, Readiness> e : monitor.readiness().entrySet()) {
            table.addRow().addContent(e.getKey(), e.getValue().ready() ? "yes" : "NO", e.getValue().detail());
        }
        table.print(System.out);
        return null;
    }
}
