package dev.kedge.edge.console.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.console.ConsoleStatus;
import dev.kedge.edge.console.SshConsole;

/** {@code console:status}: where the SSH console listens, whether SSHD runs, connections and refusals. */
@Service
@Command(scope = "console", name = "status", description = "Shows the SSH console's state and counters")
public class StatusCommand implements Action {

    @Reference
    private SshConsole console;

    @Override
    public Object execute() {
        ConsoleStatus s = console.status();
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("Listening on", s.address());
        t.addRow().addContent("SSHD", s.sshdStarted() ? "STARTED" : "not yet (starts with the first connection)");
        t.addRow().addContent("Open connections", s.openConnections());
        t.addRow().addContent("Connections since start", s.connections());
        t.addRow().addContent("Refused logins", s.refusedLogins());
        t.addRow().addContent("Refused connections", s.refusedConnections());
        t.print(System.out);
        return null;
    }
}
