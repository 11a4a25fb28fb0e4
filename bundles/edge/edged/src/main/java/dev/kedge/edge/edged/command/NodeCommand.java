package dev.kedge.edge.edged.command;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedNodeInfo;

/** {@code edged:node}: the node's registration, status and lease bookkeeping. */
@Service
@Command(scope = "edged", name = "node", description = "Shows the node's registration, status updates and lease")
public class NodeCommand implements Action {

    @Reference
    private Edged edged;

    @Override
    public Object execute() {
        EdgedNodeInfo n = edged.node();
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("Node", n.nodeName().isEmpty() ? "-" : n.nodeName());
        t.addRow().addContent("Cloud link", n.connected() ? "connected" : "disconnected");
        t.addRow().addContent("Registered", n.registered() ? "yes" : "no");
        t.addRow().addContent("UID", n.uid().isEmpty() ? "-" : n.uid());
        t.addRow().addContent("Last status sent", ago(n.lastStatusSent()));
        t.addRow().addContent("Last lease renewal", ago(n.lastLeaseRenewal()));
        t.addRow().addContent("Lease resourceVersion", n.leaseResourceVersion().isEmpty() ? "-"
                : n.leaseResourceVersion());
        t.addRow().addContent("Registrations", n.registrations() + " (failed attempts " + n.registrationFailures()
                + ")");
        t.addRow().addContent("Status sent", n.statusSent());
        t.addRow().addContent("Status skipped (unchanged)", n.statusSkipped());
        t.addRow().addContent("Status failed", n.statusFailed());
        t.addRow().addContent("Lease ok", n.leaseOk());
        t.addRow().addContent("Lease failed", n.leaseFailed());
        t.addRow().addContent("Ignored messages", n.ignoredMessages());
        t.addRow().addContent("Last error", n.lastError().isEmpty() ? "-" : n.lastError());
        t.print(System.out);
        return null;
    }

    private static String ago(Instant at) {
        if (at == null) {
            return "never";
        }
        Duration d = Duration.between(at, Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        return at.truncatedTo(ChronoUnit.SECONDS) + " (" + d.toString().substring(2).toLowerCase(java.util.Locale.ROOT) + " ago)";
    }
}
