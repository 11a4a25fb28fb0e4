package dev.kedge.edge.hub.command;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.hub.EdgeHubStatus;

/** {@code edgehub:status}: the state of the cloud link and its counters. */
@Service
@Command(scope = "edgehub", name = "status", description = "Shows the state of the link to CloudHub")
public class StatusCommand implements Action {

    @Reference
    private EdgeHub hub;

    @Override
    public Object execute() {
        EdgeHubStatus s = hub.status();
        ShellTable t = new ShellTable();
        t.column("Property");
        t.column("Value");
        t.addRow().addContent("State", s.state());
        t.addRow().addContent("Server", s.server().isEmpty() ? "(not joined: kedge:join)" : s.server());
        t.addRow().addContent("Node", s.nodeName());
        t.addRow().addContent("Connected since", since(s.connectedSince()));
        t.addRow().addContent("Reconnects", s.reconnects());
        t.addRow().addContent("Frames in", s.framesIn());
        t.addRow().addContent("Frames out", s.framesOut());
        t.addRow().addContent("Outbox", s.outboxDepth() + " / " + s.outboxCapacity());
        t.addRow().addContent("Bad frames", s.badFrames());
        t.addRow().addContent("Unroutable", s.unroutable());
        t.addRow().addContent("Upstream rejected", s.upstreamRejected());
        t.addRow().addContent("Last error", s.lastError().isEmpty() ? "-" : s.lastError());
        t.print(System.out);
        return null;
    }

    private static String since(Instant at) {
        if (at == null) {
            return "-";
        }
        Duration up = Duration.between(at, Instant.now()).truncatedTo(ChronoUnit.SECONDS);
        return at.truncatedTo(ChronoUnit.SECONDS) + " (" + up.toString().substring(2).toLowerCase() + ")";
    }
}
