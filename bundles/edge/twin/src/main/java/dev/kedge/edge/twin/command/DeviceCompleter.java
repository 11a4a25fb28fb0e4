package dev.kedge.edge.twin.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.kedge.edge.twin.DeviceSummary;
import dev.kedge.edge.twin.DeviceTwin;

/** Completes device ids. */
@Service
public class DeviceCompleter implements Completer {

    @Reference
    private DeviceTwin twin;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter c = new StringsCompleter();
        for (DeviceSummary d : twin.devices()) {
            c.getStrings().add(d.id());
        }
        return c.complete(session, commandLine, candidates);
    }
}
