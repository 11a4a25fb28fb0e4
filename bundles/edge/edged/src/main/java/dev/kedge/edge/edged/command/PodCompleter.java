package dev.kedge.edge.edged.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.kedge.edge.edged.Edged;
import dev.kedge.edge.edged.EdgedPodInfo;

/** Completes {@code <namespace>/<name>} of the pods this node runs. */
@Service
public class PodCompleter implements Completer {

    @Reference
    private Edged edged;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (EdgedPodInfo p : edged.pods()) {
            names.getStrings().add(p.namespace() + "/" + p.name());
        }
        return names.complete(session, commandLine, candidates);
    }
}
