package dev.kedge.edge.meta.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.meta.MetaManager;
import dev.kedge.edge.meta.MetaStats;

/** {@code meta:stats}: MetaManager's counters and the cloud link state it sees. */
@Service
@Command(scope = "meta", name = "stats", description = "Shows MetaManager's counters")
public class StatsCommand implements Action {

    @Reference
    private MetaManager meta;

    @Override
    public Object execute() {
        MetaStats s = meta.stats();
        ShellTable t = new ShellTable();
        t.column("Counter");
        t.column("Value").alignRight();
        t.addRow().addContent("Cloud connected", s.connected());
        t.addRow().addContent("Rows", s.rows());
        t.addRow().addContent("Stored", s.stored());
        t.addRow().addContent("Stale (kept newer)", s.stale());
        t.addRow().addContent("Deleted", s.deleted());
        t.addRow().addContent("Acks", s.acks());
        t.addRow().addContent("Failed writes", s.failedWrites());
        t.addRow().addContent("Remote ok", s.remoteOk());
        t.addRow().addContent("Remote failed", s.remoteFailed());
        t.addRow().addContent("Local answers", s.localAnswers());
        t.addRow().addContent("To cloud", s.toCloud());
        t.addRow().addContent("Bad messages", s.badMessages());
        t.print(System.out);
        return null;
    }
}
