package dev.kedge.cloud.controller.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** A MessageBus that records what is sent, by target module, and lets a test wait for a message. */
final class RecordingBus implements MessageBus {
    record Sent(String module, Message message) {
    }

    final List<Sent> sent = new CopyOnWriteArrayList<>();

    @Override
    public void send(String module, Message message) {
        synchronized (this) {
            sent.add(new Sent(module, message));
            notifyAll();
        }
    }

    /** The first message sent (earliest) matching, waiting up to {@code timeout}; fails when none comes. */
    synchronized Message await(Predicate<Message> match, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Sent s : sent) {
                if (match.test(s.message())) {
                    return s.message();
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no message " + what + " within " + timeout + "; sent: " + describe());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    int indexOf(Message m) {
        for (int i = 0; i < sent.size(); i++) {
            if (sent.get(i).message() == m) {
                return i;
            }
        }
        return -1;
    }

    String describe() {
        StringBuilder b = new StringBuilder();
        for (Sent s : sent) {
            b.append("\n  -> ").append(s.module()).append(' ').append(s.message().operation()).append(' ')
                    .append(s.message().resource());
        }
        return b.toString();
    }

    @Override
    public int sendToGroup(String group, Message message) {
        send(group, message);
        return 1;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        throw new UnsupportedOperationException("the EdgeController never waits on the bus");
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        throw new UnsupportedOperationException("the EdgeController never waits on the bus");
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
