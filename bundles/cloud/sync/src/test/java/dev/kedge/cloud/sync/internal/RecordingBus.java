package dev.kedge.cloud.sync.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** A MessageBus that only records what was sent, by destination module. */
final class RecordingBus implements MessageBus {
    record Sent(String module, Message message) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(String module, Message message) {
        sent.add(new Sent(module, message));
    }

    @Override
    public int sendToGroup(String group, Message message) {
        sent.add(new Sent(group, message));
        return 1;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        throw new UnsupportedOperationException("SyncController never waits on the bus");
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        throw new UnsupportedOperationException("SyncController never waits on the bus");
    }

    @Override
    public boolean respond(Message response) {
        return false;
    }

    @Override
    public List<ModuleInfo> modules() {
        return List.of();
    }
}
