package dev.kedge.cloud.sync;

import java.time.Duration;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What each edge node has acknowledged, as recorded in {@code ObjectSync} / {@code ClusterObjectSync} objects
 * ({@code reliablesyncs.kubeedge.io/v1alpha1}, named {@code <node>.<objectUID>}). Controllers ask it before sending so
 * that a cloud restart (informers relisting everything) resends only what changed.
 */
@ProviderType
public interface ObjectSyncLedger {

    /** {@code status.objectResourceVersion} of the node's ObjectSync for that object; "" when there is none. */
    String ackedVersion(String node, String objectUid);

    /** Waits until the ObjectSync caches hold what the API server has; false on timeout. */
    boolean awaitSynced(Duration timeout);
}
