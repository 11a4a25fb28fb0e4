package dev.kedge.itests.modules;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** Records sends; sendSync answers through a test-supplied function (attempt number, message). */
final class FakeBus implements MessageBus {
    record Sent(String module, Message message) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final List<Message> syncRequests = new CopyOnWriteArrayList<>();
    BiFunction<Integer, Message, Message> syncAnswer = (n, m) -> {
        throw new BusException(BusException.Reason.TIMEOUT, "no answer");
    };
    /** When set, send() to this module fails as if its mailbox stayed full. */
    volatile String fullModule;

    @Override
    public void send(String module, Message message) {
        if (module.equals(fullModule)) {
            throw new BusException(BusException.Reason.MAILBOX_FULL, "full");
        }
        sent.add(new Sent(module, message));
    }

    @Override
    public int sendToGroup(String group, Message message) {
        send(group, message);
        return 1;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        syncRequests.add(message.withSync(true));
        return syncAnswer.apply(syncRequests.size(), message.withSync(true));
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        return sendSync(group, message, timeout);
    }

    @Override
    public boolean respond(Message response) {
        return false;
    }

    @Override
    public List<ModuleInfo> modules() {
        return List.of();
    }

    List<Message> sentTo(String module) {
        return sent.stream().filter(s -> s.module().equals(module)).map(Sent::message).toList();
    }
}
