package dev.kedge.edge.meta;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Read access to MetaManager's {@code meta} table and its counters. Messages go through the bus, not here. */
@ProviderType
public interface MetaManager {

    /** Rows of {@code type} (all rows when null or empty), ordered by key. */
    List<MetaEntry> list(String type);

    /**
     * A number that changes after every committed write of rows of {@code type}: equal answers mean no such write
     * committed in between, so a poller can skip {@link #list} (it is not a resource version, and starts again at a
     * restart). Counted after the commit: a {@link #list} after reading it sees at least those writes.
     */
    long revision(String type);

    /** The stored JSON of {@code key} (e.g. {@code default/pod/nginx}). */
    Optional<String> get(String key);

    MetaStats stats();
}
