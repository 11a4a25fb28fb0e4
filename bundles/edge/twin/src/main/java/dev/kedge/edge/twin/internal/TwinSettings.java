package dev.kedge.edge.twin.internal;

/** DeviceTwin's checked configuration. */
record TwinSettings(String nodeName, int maxPayloadBytes, int outboxCapacity, int flushBatch,
        int publishQueueCapacity) {

    static TwinSettings of(TwinConfig c) {
        return new TwinSettings(c.nodeName() == null ? "" : c.nodeName().strip(),
                atLeast(c.maxPayloadBytes(), 256, "maxPayloadBytes"), atLeast(c.outboxCapacity(), 1, "outboxCapacity"),
                atLeast(c.flushBatch(), 1, "flushBatch"), atLeast(c.publishQueueCapacity(), 16, "publishQueueCapacity"));
    }

    static TwinSettings defaults() {
        return new TwinSettings("", 65536, 10000, 500, 4096);
    }

    TwinSettings withOutboxCapacity(int capacity) {
        return new TwinSettings(nodeName, maxPayloadBytes, capacity, flushBatch, publishQueueCapacity);
    }

    TwinSettings withNodeName(String name) {
        return new TwinSettings(name, maxPayloadBytes, outboxCapacity, flushBatch, publishQueueCapacity);
    }

    private static int atLeast(int v, int min, String name) {
        if (v < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + v);
        }
        return v;
    }
}
