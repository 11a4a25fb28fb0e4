package dev.kedge.edge.store.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.edge.store.EdgeStore;
import dev.kedge.edge.store.IntegrityResult;

/** {@code store:check}: runs SQLite's integrity check now. */
@Service
@Command(scope = "store", name = "check", description = "Runs PRAGMA integrity_check on the edge database now")
public class CheckCommand implements Action {

    @Reference
    private EdgeStore store;

    @Override
    public Object execute() {
        IntegrityResult r = store.checkIntegrity();
        if (r.ok()) {
            System.out.println("ok (" + r.millis() + " ms)");
        } else {
            System.out.println("CORRUPT: " + r.problems().size() + " problem(s) in " + store.stats().file());
            r.problems().forEach(p -> System.out.println("  " + p));
        }
        return null;
    }
}
