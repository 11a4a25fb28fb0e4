package dev.kedge.core.command;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.MessageCodec;

import dev.kedge.core.json.Json;

/** Operator debugging: put one hand-made message on the bus, optionally waiting for its response. */
@Service
@Command(scope = "bus", name = "send", description = "Send a message to a module (or a group with -g)")
public class SendCommand implements Action {

    @Reference
    private MessageBus bus;

    @Argument(index = 0, name = "target", description = "Module name, or group name with -g", required = true)
    @Completion(ModuleCompleter.class)
    private String target;

    @Argument(index = 1, name = "operation", description = "route.operation, e.g. query", required = true)
    private String operation;

    @Argument(index = 2, name = "resource", description = "route.resource, e.g. default/pod/nginx", required = true)
    private String resource;

    @Argument(index = 3, name = "content", description = "Content as JSON; a bare word is sent as a string")
    private String content;

    @Option(name = "-g", aliases = "--group", description = "Send to every module of the group")
    private boolean toGroup;

    @Option(name = "-s", aliases = "--source", description = "route.source")
    private String source = "console";

    @Option(name = "-r", aliases = "--route-group", description = "route.group")
    private String routeGroup = "resource";

    @Option(name = "-w", aliases = "--wait", description = "Wait this many seconds for the response (sendSync)")
    private int waitSeconds;

    @Override
    public Object execute() {
        Message msg = Message.create(source, routeGroup, operation, resource, parse(content));
        if (waitSeconds > 0) {
            Duration timeout = Duration.ofSeconds(waitSeconds);
            Message resp = toGroup ? bus.sendToGroupSync(target, msg, timeout) : bus.sendSync(target, msg, timeout);
            System.out.println(MessageCodec.encodeToString(resp));
        } else if (toGroup) {
            System.out.println("sent " + msg.id() + " to " + bus.sendToGroup(target, msg) + " module(s)");
        } else {
            bus.send(target, msg);
            System.out.println("sent " + msg.id());
        }
        return null;
    }

    private static Object parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Json.parse(text);
        } catch (java.io.IOException e) {
            return text;
        }
    }
}
