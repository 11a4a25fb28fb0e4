package dev.kedge.cloud.sync.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.sync.internal.SyncDiagnostics;

@Service
@Command(scope = "sync", name = "stats", description = "SyncController counters: acks recorded, coalesced, writes, failures, resends, deletes, garbage collected")
public class StatsCommand implements Action {

    @Reference
    private SyncDiagnostics sync;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        for (Map.Entry<String, Long> e : sync.counters().entrySet()) {
            table.addRow().addContent(e.getKey(), e.getValue());
        }
        table.print(System.out);
        return null;
    }
}
