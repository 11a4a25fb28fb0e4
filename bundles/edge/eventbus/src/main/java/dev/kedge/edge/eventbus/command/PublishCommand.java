package dev.kedge.edge.eventbus.command;

import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.edge.eventbus.EventBus;

/** {@code eventbus:publish <topic> <payload>}: publishes on the mode's brokers, as a {@code publish} message would. */
@Service
@Command(scope = "eventbus", name = "publish", description = "Publishes a payload on a topic through EventBus's brokers")
public class PublishCommand implements Action {

    @Reference
    private EventBus eventBus;

    @Argument(index = 0, name = "topic", required = true, description = "Topic name, e.g. $hw/events/device/default/thermo/twin/update/delta")
    private String topic;

    @Argument(index = 1, name = "payload", required = true, description = "Payload text (quote JSON)")
    private String payload;

    @Override
    public Object execute() {
        try {
            int brokers = eventBus.publish(topic, payload.getBytes(StandardCharsets.UTF_8));
            System.out.println(brokers == 0 ? "not published: no broker took it (see eventbus:status)"
                    : "published to " + brokers + " broker(s)");
        } catch (IllegalArgumentException e) {
            System.out.println("not published: " + e.getMessage());
        }
        return null;
    }
}
