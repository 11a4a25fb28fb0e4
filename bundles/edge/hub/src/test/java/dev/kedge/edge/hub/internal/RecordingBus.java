package dev.kedge.edge.hub.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** A MessageBus that records what it is asked to do; groups in {@code populated} have one module each. */
final class RecordingBus implements MessageBus {
    /** One call: kind is send, group or respond; target is the module or group. */
    record Call(String kind, String target, Message message) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Set<String> populated;
    volatile boolean respondResult = true;

    RecordingBus(Set<String> populated) {
        this.populated = populated;
    }

    @Override
    public void send(String module, Message message) {
        calls.add(new Call("send", module, message));
    }

    @Override
    public int sendToGroup(String group, Message message) {
        calls.add(new Call("group", group, message));
        return populated.contains(group) ? 1 : 0;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        throw new BusException(BusException.Reason.UNROUTABLE, "not in this fake");
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        throw new BusException(BusException.Reason.UNROUTABLE, "not in this fake");
    }

    @Override
    public boolean respond(Message response) {
        calls.add(new Call("respond", response.parentId(), response));
        return respondResult;
    }

    @Override
    public List<ModuleInfo> modules() {
        return List.of();
    }

    List<Call> calls(String kind) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.kind().equals(kind)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The link-state broadcasts seen so far, as "group:content". */
    List<String> linkEvents() {
        List<String> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.kind().equals("group") && LinkEvents.SOURCE.equals(c.message().source())) {
                out.add(c.target() + ":" + c.message().content());
            }
        }
        return out;
    }
}
