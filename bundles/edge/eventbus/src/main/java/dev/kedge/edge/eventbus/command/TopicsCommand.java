package dev.kedge.edge.eventbus.command;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.kedge.edge.eventbus.EventBus;
import dev.kedge.edge.eventbus.EventBusStatus;

/** {@code eventbus:topics}: the topic filters EventBus subscribes, built-in and from {@code sub_topics}. */
@Service
@Command(scope = "eventbus", name = "topics", description = "Lists EventBus's subscriptions (built-in and sub_topics)")
public class TopicsCommand implements Action {

    @Reference
    private EventBus eventBus;

    @Override
    public Object execute() {
        EventBusStatus s = eventBus.status();
        ShellTable t = new ShellTable();
        t.column("Topic filter");
        t.column("Source");
        s.defaultTopics().forEach(f -> t.addRow().addContent(f, "built-in"));
        s.storedTopics().stream().filter(f -> !s.defaultTopics().contains(f))
                .forEach(f -> t.addRow().addContent(f, "sub_topics"));
        t.print(System.out);
        return null;
    }
}
