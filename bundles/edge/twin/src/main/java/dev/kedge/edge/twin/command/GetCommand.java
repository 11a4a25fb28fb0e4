package dev.kedge.edge.twin.command;

import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.twin.DeviceTwin;
import dev.kedge.edge.twin.TwinEntry;

/** {@code twin:get <device>}: a device's twins with expected/actual values and their versions. */
@Service
@Command(scope = "twin", name = "get", description = "Shows a device's twins: expected and actual values, versions")
public class GetCommand implements Action {

    @Reference
    private DeviceTwin twin;

    @Argument(index = 0, name = "device", required = true, description = "Device id (<namespace>/<name> or <name>)")
    @Completion(DeviceCompleter.class)
    private String device;

    @Override
    public Object execute() {
        List<TwinEntry> twins = twin.twins(device);
        if (twins.isEmpty()) {
            System.out.println("no twins for device '" + device + "' (unknown device, or none yet)");
            return null;
        }
        ShellTable t = new ShellTable();
        t.column("Twin");
        t.column("Type");
        t.column("Expected");
        t.column("Expected version");
        t.column("Actual");
        t.column("Actual version");
        t.column("Optional");
        for (TwinEntry e : twins) {
            t.addRow().addContent(e.name(), e.type(), DevicesCommand.dash(e.expected()),
                    DevicesCommand.dash(e.expectedVersion()), DevicesCommand.dash(e.actual()),
                    DevicesCommand.dash(e.actualVersion()), e.optional());
        }
        t.print(System.out);
        return null;
    }
}
