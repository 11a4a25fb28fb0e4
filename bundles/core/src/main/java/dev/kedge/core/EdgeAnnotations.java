package dev.kedge.core;

/** Annotations Kedge keeps on an edge node's {@code Node} object. */
public final class EdgeAnnotations {
    /**
     * Identity of the edge's metadata database, sent with every registration. A new value means the edge lost what it
     * had been sent (reinstalled, disk replaced): what its ObjectSyncs say it acked is no longer true.
     */
    public static final String META_ID = "kedge.dev/meta-id";

    private EdgeAnnotations() {
    }
}
