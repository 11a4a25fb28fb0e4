package dev.kedge.itests.modules;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.testing.RecordingBus;

/** The shared recording bus; sync requests time out unless a test answers them, and one mailbox can be made full. */
final class FakeBus extends RecordingBus {
    /** When set, send() to this module fails as if its mailbox stayed full. */
    volatile String fullModule;

    FakeBus() {
        answerSync(request -> null);
    }

    @Override
    public void send(String module, Message message) {
        if (module.equals(fullModule)) {
            throw new BusException(BusException.Reason.MAILBOX_FULL, "full");
        }
        super.send(module, message);
    }
}
