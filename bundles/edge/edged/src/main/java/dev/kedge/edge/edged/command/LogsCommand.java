package dev.kedge.edge.edged.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.edge.edged.Edged;

/** {@code edged:logs <ns>/<pod> [container] [-n lines]}: the tail of a container's log file. */
@Service
@Command(scope = "edged", name = "logs", description = "Prints the last lines of a pod container's log")
public class LogsCommand implements Action {

    @Reference
    private Edged edged;

    @Argument(index = 0, name = "pod", required = true, description = "<namespace>/<name> (or <name> in default)")
    @Completion(PodCompleter.class)
    private String pod;

    @Argument(index = 1, name = "container", required = false, description = "Container name; default the first")
    private String container = "";

    @Option(name = "-n", aliases = "--lines", description = "Lines to show (default 50)")
    private int lines = 50;

    @Override
    public Object execute() {
        String ns = "default";
        String name = pod;
        int slash = pod.indexOf('/');
        if (slash >= 0) {
            ns = pod.substring(0, slash);
            name = pod.substring(slash + 1);
        }
        try {
            edged.logs(ns, name, container, lines).forEach(System.out::println);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
        }
        return null;
    }
}
