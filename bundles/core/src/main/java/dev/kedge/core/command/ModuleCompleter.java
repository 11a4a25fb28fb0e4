package dev.kedge.core.command;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** Completes module and group names known to the bus. */
@Service
public class ModuleCompleter implements Completer {

    @Reference
    private MessageBus bus;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        for (ModuleInfo m : bus.modules()) {
            names.getStrings().add(m.name());
            if (!m.group().isEmpty()) {
                names.getStrings().add(m.group());
            }
        }
        return names.complete(session, commandLine, candidates);
    }
}
