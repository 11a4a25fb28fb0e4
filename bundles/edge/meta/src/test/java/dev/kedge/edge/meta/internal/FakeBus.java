package dev.kedge.edge.meta.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;

/** A MessageBus that records calls; {@code cloud} answers sendSync (null = times out). */
final class FakeBus implements MessageBus {
    /** kind: send, group, sync, respond; target: module, group, or the parent id. */
    record Call(String kind, String target, Message message, long nanos) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    volatile Function<Message, Message> cloud = m -> null;

    @Override
    public void send(String module, Message message) {
        calls.add(new Call("send", module, message, System.nanoTime()));
    }

    @Override
    public int sendToGroup(String group, Message message) {
        calls.add(new Call("group", group, message, System.nanoTime()));
        return 0;
    }

    @Override
    public Message sendSync(String module, Message message, Duration timeout) {
        Message sync = message.withSync(true);
        calls.add(new Call("sync", module, sync, System.nanoTime()));
        Message answer = cloud.apply(sync);
        if (answer == null) {
            throw new BusException(BusException.Reason.TIMEOUT, "no response within " + timeout.toMillis() + " ms");
        }
        return answer;
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        throw new BusException(BusException.Reason.UNROUTABLE, "not in this fake");
    }

    @Override
    public boolean respond(Message response) {
        calls.add(new Call("respond", response.parentId(), response, System.nanoTime()));
        return true;
    }

    @Override
    public List<ModuleInfo> modules() {
        return List.of();
    }

    List<Call> calls(String kind, Predicate<Message> filter) {
        List<Call> out = new ArrayList<>();
        for (Call c : calls) {
            if (c.kind().equals(kind) && filter.test(c.message())) {
                out.add(c);
            }
        }
        return out;
    }

    /** Acks (response "OK" to websocket) for the message {@code id}. */
    List<Call> acksOf(String id) {
        return calls("send", m -> id.equals(m.parentId()) && "OK".equals(m.content()));
    }

    /** The reply (respond or send) to the request {@code id}; waits up to 5 s. */
    Message replyTo(String id) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < end) {
            for (Call c : calls) {
                if (!c.kind().equals("sync") && id.equals(c.message().parentId())) {
                    return c.message();
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no reply to " + id + " in 5 s; calls: " + calls);
    }
}
