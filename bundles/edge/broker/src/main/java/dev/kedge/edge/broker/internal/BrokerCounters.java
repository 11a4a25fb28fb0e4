package dev.kedge.edge.broker.internal;

import java.util.concurrent.atomic.AtomicLong;

/** The broker's counters since start, shown by {@code broker:stats}. */
final class BrokerCounters {
    final AtomicLong connects = new AtomicLong();
    final AtomicLong publishes = new AtomicLong();
    final AtomicLong payloadBytes = new AtomicLong();
    /** QoS 1 or 2 publishes a client re-sent with DUP=1. */
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong malformed = new AtomicLong();
    final AtomicLong oversize = new AtomicLong();
    /** Deliveries not queued: a session's queue full, or no room to retain. */
    final AtomicLong dropped = new AtomicLong();
    /** Connections refused on accept: maxConnections open already. */
    final AtomicLong refused = new AtomicLong();
    /** Connections closed for letting more than maxPendingAcks replies pile up (not reading). */
    final AtomicLong ackBacklog = new AtomicLong();
    /** Connections closed because one socket write took longer than writeTimeoutSeconds. */
    final AtomicLong writeTimeouts = new AtomicLong();
}
