package dev.kedge.cloud.controller.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.controller.EdgeController;

@Service
@Command(scope = "edgecontroller", name = "stats",
        description = "EdgeController counters: downstream sends, ledger skips, upstream requests, API errors, refusals")
public class StatsCommand implements Action {

    @Reference
    private EdgeController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        Map<String, Long> counters = controller.counters();
        if (counters.isEmpty()) {
            System.out.println("no events yet");
            return null;
        }
        for (Map.Entry<String, Long> e : counters.entrySet()) {
            table.addRow().addContent(e.getKey(), e.getValue());
        }
        table.print(System.out);
        return null;
    }
}
