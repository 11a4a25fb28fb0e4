package dev.kedge.edge.meta.internal;

import java.time.Duration;

/** MetaManager's checked configuration. */
record MetaSettings(Duration remoteTimeout, int remoteWorkers, int remoteQueueCapacity, int ackQueueCapacity) {

    static MetaSettings of(MetaConfig c) {
        return new MetaSettings(Duration.ofSeconds(positive(c.remoteQueryTimeout(), "remoteQueryTimeout")),
                positive(c.remoteWorkers(), "remoteWorkers"), positive(c.remoteQueueCapacity(), "remoteQueueCapacity"),
                positive(c.ackQueueCapacity(), "ackQueueCapacity"));
    }

    private static int positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + v);
        }
        return v;
    }
}
