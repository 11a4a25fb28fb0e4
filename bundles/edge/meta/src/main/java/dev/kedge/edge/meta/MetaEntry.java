package dev.kedge.edge.meta;

/**
 * One row of {@code meta}.
 *
 * @param key             {@code <namespace>/<type>/<name>}
 * @param type            resource type, e.g. {@code pod}
 * @param resourceVersion the stored object's {@code metadata.resourceVersion}; empty if it has none
 * @param sizeBytes       length of the stored JSON
 */
public record MetaEntry(String key, String type, String resourceVersion, long sizeBytes) {
}
