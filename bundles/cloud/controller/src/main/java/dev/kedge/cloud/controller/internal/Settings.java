package dev.kedge.cloud.controller.internal;

import java.time.Duration;

/** EdgeController's checked configuration: a value below its minimum is refused with the attribute's name. */
record Settings(Duration reconcileInterval, int upstreamWorkers, int upstreamQueueSize, int eventQueueSize,
        Duration enqueueTimeout, Duration ledgerWait) {

    static Settings of(EdgeControllerConfig c) {
        return new Settings(Duration.ofSeconds(atLeast(1, c.nodeUpdateFrequency(), "nodeUpdateFrequency")),
                atLeast(1, c.upstreamWorkers(), "upstreamWorkers"),
                atLeast(1, c.upstreamQueueSize(), "upstreamQueueSize"),
                atLeast(16, c.eventQueueSize(), "eventQueueSize"),
                Duration.ofSeconds(atLeast(0, c.eventEnqueueTimeoutSeconds(), "eventEnqueueTimeoutSeconds")),
                Duration.ofSeconds(atLeast(0, c.ledgerWaitSeconds(), "ledgerWaitSeconds")));
    }

    private static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}
