package dev.kedge.edge.meta.internal;

import java.time.Duration;
import java.util.List;

import dev.kedge.core.Message;
import dev.kedge.core.testing.RecordingBus;

/** The shared recording bus as MetaManager's tests use it: no edged installed, no cloud answer unless a test sets one. */
final class FakeBus extends RecordingBus {

    FakeBus() {
        groupMembers(group -> 0);
        answerSync(request -> null);
    }

    /** Acks (response "OK" to websocket) for the message {@code id}. */
    List<Call> acksOf(String id) {
        return calls(SEND, m -> id.equals(m.parentId()) && "OK".equals(m.content()));
    }

    /** The reply (respond or send) to the request {@code id}; waits up to 5 s. */
    Message replyTo(String id) throws InterruptedException {
        return awaitCall(c -> !c.is(SYNC) && id.equals(c.message().parentId()), Duration.ofSeconds(5),
                "replying to " + id).message();
    }
}
