package dev.kedge.edge.twin.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.twin.DeviceSummary;
import dev.kedge.edge.twin.DeviceTwin;

/** {@code twin:devices}: the member devices of this node. */
@Service
@Command(scope = "twin", name = "devices", description = "Lists member devices: id, name, state, last online, twins")
public class DevicesCommand implements Action {

    @Reference
    private DeviceTwin twin;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Id");
        t.column("Name");
        t.column("State");
        t.column("Last online");
        t.column("Twins").alignRight();
        for (DeviceSummary d : twin.devices()) {
            t.addRow().addContent(d.id(), d.name(), dash(d.state()), dash(d.lastOnline()), d.twinCount());
        }
        t.print(System.out);
        return null;
    }

    static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
