package dev.kedge.edge.meta.internal;

import java.time.Duration;

/** MetaManager's checked configuration. */
record MetaSettings(Duration remoteTimeout, int remoteWorkers, int remoteQueueCapacity, int ackQueueCapacity) {

    static MetaSettings of(MetaConfig c) {
        return new MetaSettings(Duration.ofSeconds(positive(c.remoteQueryTimeout(), "remoteQueryTimeout")),
                positive(c.remoteWorkers(), "remoteWorkers"), positive(c.remoteQueueCapacity(), "remoteQueueCapacity"),
                positive(c.ackQueueCapacity(), "ackQueueCapacity"));
    }

    static MetaSettings defaults() {
        return new MetaSettings(Duration.ofSeconds(60), 4, 256, 4096);
    }

    MetaSettings withRemoteTimeout(Duration d) {
        return new MetaSettings(d, remoteWorkers, remoteQueueCapacity, ackQueueCapacity);
    }

    private static int positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, not " + v);
        }
        return v;
    }
}
