package dev.kedge.cloud.kube.command;

import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.kube.LeadershipStatus;

@Service
@Command(scope = "kube", name = "leader", description = "Show the cloud replicas' leader election: lease holder, this replica, transitions")
public class LeaderCommand implements Action {

    // optional: Karaf registers a bundle's commands only while every mandatory reference of every one of them is
    // bound, so a mandatory one here would take kube:info away exactly when the client is broken and info is needed
    @Reference(optional = true)
    private Leadership leadership;

    @Override
    public Object execute() {
        if (leadership == null) {
            System.out.println("No leader election running: it starts with the Kubernetes client (see kube:info)");
            return null;
        }
        LeadershipStatus s = leadership.status();
        line("Lease", s.leaseName());
        line("Holder", s.holder().isEmpty() ? "-" : s.holder());
        line("This replica", s.identity());
        line("Leader", s.leader() ? "yes (since " + Instant.ofEpochMilli(s.leaderSinceMillis()) + ")" : "no");
        line("Times leader", String.valueOf(s.timesLeader()));
        line("Holder changes", String.valueOf(s.holderChanges()));
        return null;
    }

    private static void line(String name, String value) {
        System.out.printf("%-15s %s%n", name, value);
    }
}
