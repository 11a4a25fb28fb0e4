package dev.kedge.device.host.internal;

import java.time.Duration;

/** {@link HostConfig}, checked. */
record HostSettings(Duration syncInterval, Duration readTimeout, int poolSize, int queueCapacity, long defaultCycleMs,
        long minCycleMs, long maxBackoffMs, long writeRetryMs) {

    static HostSettings of(HostConfig c) {
        return new HostSettings(Duration.ofSeconds(positive("syncIntervalSeconds", c.syncIntervalSeconds())),
                Duration.ofMillis(positive("readTimeoutMs", c.readTimeoutMs())), positive("poolSize", c.poolSize()),
                positive("queueCapacity", c.queueCapacity()), positive("defaultCycleMs", c.defaultCycleMs()),
                positive("minCycleMs", c.minCycleMs()), 1000L * positive("maxBackoffSeconds", c.maxBackoffSeconds()),
                1000L * positive("writeRetrySeconds", c.writeRetrySeconds()));
    }

    static HostSettings defaults() {
        return new HostSettings(Duration.ofSeconds(2), Duration.ofMillis(2000), 4, 1024, 1000, 100, 30_000, 10_000);
    }

    private static int positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, not " + v);
        }
        return v;
    }
}
