package dev.kedge.cloud.hub.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.hub.CloudHub;

@Service
@Command(scope = "cloudhub", name = "stats", description = "CloudHub counters: refusals, malformed frames, timeouts, certificates")
public class StatsCommand implements Action {

    @Reference
    private CloudHub hub;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        for (Map.Entry<String, Long> e : hub.counters().entrySet()) {
            table.addRow().addContent(e.getKey(), e.getValue());
        }
        table.print(System.out);
        return null;
    }
}
