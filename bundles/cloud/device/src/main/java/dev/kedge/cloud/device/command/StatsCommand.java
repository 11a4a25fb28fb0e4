package dev.kedge.cloud.device.command;

import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.cloud.device.DeviceController;

@Service
@Command(scope = "devicecontroller", name = "stats",
        description = "DeviceController counters: sends, reports, refusals, API writes and conflicts, report latency")
public class StatsCommand implements Action {

    @Reference
    private DeviceController controller;

    @Override
    public Object execute() {
        Map<String, Long> counters = controller.counters();
        if (counters.isEmpty()) {
            System.out.println("no events yet");
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Counter");
        table.column("Value").alignRight();
        counters.forEach((k, v) -> table.addRow().addContent(k, v));
        table.print(System.out);
        return null;
    }
}
