package dev.kedge.core.internal;

import java.lang.annotation.Annotation;

/** {@link BusConfig} is an annotation type (DS component property type); outside OSGi we implement it by hand. */
final class TestBusConfig implements BusConfig {
    private final int capacity;
    private final long sendTimeoutMs;
    private final long syncTimeoutMs;
    private final long unbindWaitMs;
    private final long detachedAfterMs;

    TestBusConfig(int capacity, long sendTimeoutMs, long syncTimeoutMs, long unbindWaitMs) {
        this(capacity, sendTimeoutMs, syncTimeoutMs, unbindWaitMs, 30_000);
    }

    TestBusConfig(int capacity, long sendTimeoutMs, long syncTimeoutMs, long unbindWaitMs, long detachedAfterMs) {
        this.detachedAfterMs = detachedAfterMs;
        this.capacity = capacity;
        this.sendTimeoutMs = sendTimeoutMs;
        this.syncTimeoutMs = syncTimeoutMs;
        this.unbindWaitMs = unbindWaitMs;
    }

    /** The metatype defaults: capacity 1024, send 10 s, sync 30 s, unbind 5 s. */
    static TestBusConfig defaults() {
        return new TestBusConfig(1024, 10_000, 30_000, 5_000);
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return BusConfig.class;
    }

    @Override
    public int mailboxCapacity() {
        return capacity;
    }

    @Override
    public long sendTimeoutMs() {
        return sendTimeoutMs;
    }

    @Override
    public long syncTimeoutMs() {
        return syncTimeoutMs;
    }

    @Override
    public long unbindWaitMs() {
        return unbindWaitMs;
    }

    @Override
    public long detachedAfterMs() {
        return detachedAfterMs;
    }
}
