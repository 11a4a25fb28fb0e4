package dev.kedge.core.internal;

import java.time.Duration;

import dev.kedge.core.MessageBus;

/** Core's real bus outside OSGi, for other modules' tests (through core's test-jar): mailboxes and inboxes as in Karaf. */
public final class TestBuses {
    private TestBuses() {
    }

    /** A bus with the default mailbox bound (1024) and the given send timeout. */
    public static MessageBus real(Duration sendTimeout) {
        return new MessageBusImpl(new TestBusConfig(1024, sendTimeout.toMillis(), 30_000, 5_000));
    }
}
