package dev.kedge.edge.meta;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Read access to MetaManager's {@code meta} table and its counters. Messages go through the bus, not here. */
@ProviderType
public interface MetaManager {

    /** Rows of {@code type} (all rows when null or empty), ordered by key. */
    List<MetaEntry> list(String type);

    /** The stored JSON of {@code key} (e.g. {@code default/pod/nginx}). */
    Optional<String> get(String key);

    MetaStats stats();
}
