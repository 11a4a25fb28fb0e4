package dev.kedge.core.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

@Service
@Command(scope = "bus", name = "modules", description = "List bus modules with their mailbox depth and counters")
public class ModulesCommand implements Action {

    @Reference
    private MessageBus bus;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("Module");
        table.column("Group");
        table.column("State");
        table.column("Depth").alignRight();
        table.column("Capacity").alignRight();
        table.column("Delivered").alignRight();
        table.column("Rejected").alignRight();
        table.column("Errors").alignRight();
        for (ModuleInfo m : bus.modules()) {
            table.addRow().addContent(m.name(), m.group(), m.state(), m.depth(), m.capacity(), m.delivered(),
                    m.rejected(), m.errors());
        }
        table.print(System.out);
        return null;
    }
}
