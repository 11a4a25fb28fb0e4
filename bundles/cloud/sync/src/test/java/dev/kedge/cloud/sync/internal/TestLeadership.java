package dev.kedge.cloud.sync.internal;

import java.util.function.BooleanSupplier;

import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.kube.LeadershipStatus;

/** A {@link Leadership} whose answer the test sets; listeners are told nothing (the tests poll). */
record TestLeadership(BooleanSupplier leader) implements Leadership {

    static TestLeadership leading() {
        return new TestLeadership(() -> true);
    }

    @Override
    public boolean isLeader() {
        return leader.getAsBoolean();
    }

    @Override
    public String identity() {
        return "test";
    }

    @Override
    public String holder() {
        return leader.getAsBoolean() ? "test" : "";
    }

    @Override
    public LeadershipStatus status() {
        throw new UnsupportedOperationException("not in tests");
    }

    @Override
    public void addListener(Listener listener) {
    }

    @Override
    public void removeListener(Listener listener) {
    }
}
