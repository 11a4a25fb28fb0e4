package dev.kedge.edge.edged.command;

import java.time.Duration;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedPodInfo;

/** {@code edged:pods}: the pods of this node, as {@code kubectl get pods -o wide} shows them. */
@Service
@Command(scope = "edged", name = "pods", description = "Lists the pods this node runs: phase, readiness, restarts, IP")
public class PodsCommand implements Action {

    @Reference
    private Edged edged;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        t.column("Pod");
        t.column("Phase");
        t.column("Ready");
        t.column("Restarts");
        t.column("IP");
        t.column("Age");
        t.column("UID");
        for (EdgedPodInfo p : edged.pods()) {
            t.addRow().addContent(p.namespace() + "/" + p.name(), p.phase(), p.ready() + "/" + p.containers(),
                    p.restarts(), p.podIP().isEmpty() ? "-" : p.podIP(), age(p.startTime()), p.uid());
        }
        t.print(System.out);
        return null;
    }

    /** kubectl's short age: 45s, 3m, 2h, 5d. */
    static String age(Instant since) {
        if (since == null) {
            return "-";
        }
        long s = Math.max(0, Duration.between(since, Instant.now()).toSeconds());
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        return s < 172800 ? s / 3600 + "h" : s / 86400 + "d";
    }
}
