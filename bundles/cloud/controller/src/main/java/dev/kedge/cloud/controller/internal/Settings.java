package dev.kedge.cloud.controller.internal;

import java.time.Duration;

/** The configuration as plain values, so the controller runs without OSGi (tests). */
record Settings(Duration reconcileInterval, int upstreamWorkers, int upstreamQueueSize, int eventQueueSize,
        Duration enqueueTimeout, Duration ledgerWait) {

    static Settings from(EdgeControllerConfig c) {
        return new Settings(Duration.ofSeconds(Math.max(1, c.nodeUpdateFrequency())), Math.max(1, c.upstreamWorkers()),
                Math.max(1, c.upstreamQueueSize()), Math.max(16, c.eventQueueSize()),
                Duration.ofSeconds(Math.max(0, c.eventEnqueueTimeoutSeconds())),
                Duration.ofSeconds(Math.max(0, c.ledgerWaitSeconds())));
    }

    static Settings defaults() {
        return new Settings(Duration.ofSeconds(10), 4, 1024, 10_000, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
}
