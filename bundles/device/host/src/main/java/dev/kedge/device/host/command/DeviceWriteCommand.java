package dev.kedge.device.host.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.device.host.DeviceHost;

/** {@code device:write <device> <property> <value>}: writes one property now (the twin's desired value is kept). */
@Service
@Command(scope = "device", name = "write", description = "Writes one property of a Device now, through its driver")
public class DeviceWriteCommand implements Action {

    @Reference
    private DeviceHost host;

    @Argument(index = 0, name = "device", required = true, description = "<namespace>/<name>, or the name")
    private String device;

    @Argument(index = 1, name = "property", required = true, description = "property name")
    private String property;

    @Argument(index = 2, name = "value", required = true, description = "the value, as a twin holds it")
    private String value;

    @Override
    public Object execute() {
        DeviceReadCommand.print(host.write(device, property, value));
        return null;
    }
}
