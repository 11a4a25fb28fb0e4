package dev.kedge.edge.twin.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinStats;

/** {@code twin:stats}: DeviceTwin's counters and the cloud link state it sees. */
@Service
@Command(scope = "twin", name = "stats", description = "Shows DeviceTwin's counters")
public class StatsCommand implements Action {

    @Reference
    private DeviceTwin twin;

    @Override
    public Object execute() {
        TwinStats s = twin.stats();
        ShellTable t = new ShellTable();
        t.column("Counter");
        t.column("Value").alignRight();
        t.addRow().addContent("Cloud connected", s.connected());
        t.addRow().addContent("Devices", s.devices());
        t.addRow().addContent("Twins", s.twins());
        t.addRow().addContent("Twin updates", s.twinUpdates());
        t.addRow().addContent("Cloud syncs", s.cloudSyncs());
        t.addRow().addContent("Version conflicts", s.versionConflicts());
        t.addRow().addContent("Bad messages", s.badMessages());
        t.addRow().addContent("Unknown devices", s.unknownDevices());
        t.addRow().addContent("Failed writes", s.failedWrites());
        t.addRow().addContent("Reports waiting for cloud", s.outboxPending());
        t.addRow().addContent("Reports to cloud", s.toCloud());
        t.addRow().addContent("Messages to mappers", s.toMappers());
        t.addRow().addContent("Dropped publishes", s.droppedPublishes());
        t.print(System.out);
        return null;
    }
}
