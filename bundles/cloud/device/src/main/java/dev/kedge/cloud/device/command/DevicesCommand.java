package dev.kedge.cloud.device.command;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.device.DeviceController;
import dev.kedge.cloud.device.DeviceInfo;

@Service
@Command(scope = "devicecontroller", name = "devices",
        description = "Devices: node, model, state, twins desired/reported, last report, why not sent")
public class DevicesCommand implements Action {

    @Reference
    private DeviceController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Device");
        table.column("Node");
        table.column("Bound to");
        table.column("Model");
        table.column("State");
        table.column("Desired").alignRight();
        table.column("Reported").alignRight();
        table.column("Last report");
        table.column("Problem");
        for (DeviceInfo d : controller.devices()) {
            table.addRow().addContent(d.namespace() + "/" + d.name(), d.nodeName(), d.boundNode(), d.model(),
                    d.state(), d.desiredTwins(), d.reportedTwins(),
                    d.lastReportMillis() == 0 ? "" : Instant.ofEpochMilli(d.lastReportMillis()).toString(), d.problem());
        }
        table.print(System.out);
        return null;
    }
}
