package dev.kedge.device.host.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.device.driver.ChannelRecord;
import dev.kedge.device.host.DeviceHost;

/** {@code device:read <device> <property>}: reads one property now. */
@Service
@Command(scope = "device", name = "read", description = "Reads one property of a Device now, through its driver")
public class DeviceReadCommand implements Action {

    @Reference
    private DeviceHost host;

    @Argument(index = 0, name = "device", required = true, description = "<namespace>/<name>, or the name")
    private String device;

    @Argument(index = 1, name = "property", required = true, description = "property name")
    private String property;

    @Override
    public Object execute() {
        print(host.read(device, property));
        return null;
    }

    static void print(ChannelRecord r) {
        if (r.ok()) {
            System.out.println(r.channel() + " = " + r.value());
        } else {
            System.out.println(r.channel() + ": error: " + r.reason());
        }
    }
}
