package dev.kedge.cloud.sync.internal;

import java.util.List;
import java.util.Map;

/** What the sync: commands show; a service of this bundle only (not exported). */
public interface SyncDiagnostics {

    /** Counters by name, in a stable order. */
    Map<String, Long> counters();

    /** The cached ObjectSyncs and ClusterObjectSyncs, of one node ("" = all), judged against the live objects. */
    List<ObjectSyncRow> objects(String node);

    /** One line of sync:objects. */
    record ObjectSyncRow(String namespace, String name, String node, String kind, String object, String ackedVersion,
            String liveVersion, String state) {
    }
}
