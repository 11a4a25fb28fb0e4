package dev.kedge.device.host.command;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.device.host.DeviceHost;
import dev.kedge.device.host.HostedDevice;

/** {@code device:list}: the Devices the host drives. */
@Service
@Command(scope = "device", name = "list", description = "Lists the node's Devices: protocol, driver, state, last"
        + " read, reads, failures, reason")
public class DeviceListCommand implements Action {

    @Reference
    private DeviceHost host;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Device");
        t.column("Protocol");
        t.column("Driver");
        t.column("State");
        t.column("Last read");
        t.column("Reads").alignRight();
        t.column("Failures").alignRight();
        t.column("Reason");
        for (HostedDevice d : host.devices()) {
            t.addRow().addContent(d.id(), dash(d.protocol()), dash(d.driver()), d.state(),
                    d.lastRead() == 0 ? "-" : Instant.ofEpochMilli(d.lastRead()).toString(), d.reads(),
                    d.failures(), dash(d.reason()));
        }
        t.print(System.out);
        return null;
    }

    static String dash(String s) {
        return s == null || s.isEmpty() ? "-" : s;
    }
}
