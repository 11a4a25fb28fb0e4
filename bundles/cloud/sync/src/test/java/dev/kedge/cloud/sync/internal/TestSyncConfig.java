package dev.kedge.cloud.sync.internal;

import java.lang.annotation.Annotation;

/** {@link SyncControllerConfig} is an annotation type (DS component property type); outside OSGi we implement it. */
record TestSyncConfig(int reconcilePeriodSeconds, int maxResendsPerRound, int maxPendingWrites)
        implements SyncControllerConfig {

    @Override
    public Class<? extends Annotation> annotationType() {
        return SyncControllerConfig.class;
    }

    @Override
    public int queueFullWaitMs() {
        return 100;
    }

    @Override
    public int maxWriteAttempts() {
        return 5;
    }

    @Override
    public int maxRetryBackoffMs() {
        return 1_000;
    }

    @Override
    public int crdEstablishedTimeoutSeconds() {
        return 30;
    }
}
