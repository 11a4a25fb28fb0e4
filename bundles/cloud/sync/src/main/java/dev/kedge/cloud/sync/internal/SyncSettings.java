package dev.kedge.cloud.sync.internal;

/**
 * SyncController's checked configuration: {@link SyncControllerConfig}'s attributes, each at least its minimum (a
 * value below is refused with the attribute's name).
 */
record SyncSettings(int reconcilePeriodSeconds, int maxResendsPerRound, int maxPendingWrites, int queueFullWaitMs,
        int maxWriteAttempts, int maxRetryBackoffMs, int crdEstablishedTimeoutSeconds) {

    static SyncSettings of(SyncControllerConfig c) {
        return new SyncSettings(atLeast(1, c.reconcilePeriodSeconds(), "reconcilePeriodSeconds"),
                atLeast(1, c.maxResendsPerRound(), "maxResendsPerRound"),
                atLeast(1, c.maxPendingWrites(), "maxPendingWrites"),
                atLeast(0, c.queueFullWaitMs(), "queueFullWaitMs"),
                atLeast(1, c.maxWriteAttempts(), "maxWriteAttempts"),
                atLeast(0, c.maxRetryBackoffMs(), "maxRetryBackoffMs"),
                atLeast(1, c.crdEstablishedTimeoutSeconds(), "crdEstablishedTimeoutSeconds"));
    }

    private static int atLeast(int min, int value, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}
