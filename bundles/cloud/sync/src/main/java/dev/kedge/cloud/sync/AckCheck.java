package dev.kedge.cloud.sync;

import java.time.Duration;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.ResourceVersions;

/**
 * "Has the node already acked this object at this version or later?", asked of whichever ledger is bound now, for a
 * controller's sending thread. The first question to a ledger waits (bounded) for its caches to sync; no ledger, or
 * one that fails, answers no: the object is sent. One per sending thread (not thread-safe).
 */
public final class AckCheck {
    private static final Logger LOG = LoggerFactory.getLogger(AckCheck.class);

    private final Supplier<ObjectSyncLedger> ledgers;
    private final Duration syncWait;
    private ObjectSyncLedger awaited;

    public AckCheck(Supplier<ObjectSyncLedger> ledgers, Duration syncWait) {
        this.ledgers = ledgers;
        this.syncWait = syncWait;
    }

    /** True when the node's ObjectSync for {@code uid} records {@code resourceVersion} or a later one. */
    public boolean ackedAlready(String node, String uid, String resourceVersion) {
        ObjectSyncLedger ledger = ledgers.get();
        if (ledger == null) {
            return false;
        }
        try {
            if (ledger != awaited) {
                awaited = ledger;
                if (!ledger.awaitSynced(syncWait)) {
                    LOG.warn("ObjectSync ledger not synced after {}: sending without it where it knows nothing",
                            syncWait);
                }
            }
            String acked = ledger.ackedVersion(node, uid);
            return acked != null && !acked.isEmpty() && !ResourceVersions.newerOrDifferent(resourceVersion, acked);
        } catch (RuntimeException e) {
            LOG.warn("ObjectSync ledger failed ({}): sending {} to {}", e.toString(), uid, node);
            return false;
        }
    }
}
