package dev.kedge.device.host.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.device.host.DeviceHost;
import dev.kedge.device.host.DriverInfo;

/** {@code driver:list}: the protocol drivers installed. */
@Service
@Command(scope = "driver", name = "list", description = "Lists protocol drivers: protocol, bundle, devices bound")
public class DriverListCommand implements Action {

    @Reference
    private DeviceHost host;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Protocol");
        t.column("Bundle");
        t.column("Devices").alignRight();
        for (DriverInfo d : host.drivers()) {
            t.addRow().addContent(d.protocol(), d.bundle(), d.devices());
        }
        t.print(System.out);
        return null;
    }
}
