package dev.kedge.cloud.device.internal;

import java.time.Duration;

/** Validated DeviceController settings. */
record Settings(boolean installCrds, int eventQueueSize, Duration enqueueTimeout, int maxPendingReports,
        int conflictRetries, int statusWorkers, boolean twinCloudUpdates, Duration ledgerWait) {

    Settings {
        if (eventQueueSize < 1 || maxPendingReports < 1 || conflictRetries < 1 || statusWorkers < 1 || enqueueTimeout.isNegative()
                || ledgerWait.isNegative()) {
            throw new IllegalArgumentException("DeviceController: queue sizes, retries and workers must be >= 1, waits >= 0");
        }
    }

    static Settings of(DeviceControllerConfig c) {
        return new Settings(c.installCrds(), c.eventQueueSize(), Duration.ofMillis(c.eventEnqueueTimeoutMs()),
                c.maxPendingReports(), c.conflictRetries(), c.updateDeviceStatusWorkers(), c.twinCloudUpdates(), Duration.ofSeconds(c.ledgerWaitSeconds()));
    }

    /** Small queues and short waits, for tests. */
    static Settings forTests() {
        return new Settings(true, 1000, Duration.ofSeconds(1), 1024, 5, 8, true, Duration.ofSeconds(1));
    }
}
