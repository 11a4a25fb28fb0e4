package dev.kedge.cloud.sync.internal;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

/**
 * The two ledger kinds of {@code reliablesyncs.kubeedge.io/v1alpha1}: ObjectSync records a namespaced object a node
 * acked, ClusterObjectSync a cluster-scoped one (resource namespace {@code null}).
 */
public enum SyncKind {
    OBJECT_SYNC("ObjectSync", "objectsyncs", "objectsync", true),
    CLUSTER_OBJECT_SYNC("ClusterObjectSync", "clusterobjectsyncs", "clusterobjectsync", false);

    public static final String GROUP = "reliablesyncs.kubeedge.io";
    public static final String VERSION = "v1alpha1";
    public static final String API_VERSION = GROUP + "/" + VERSION;

    public final String kind;
    public final String plural;
    public final String singular;
    public final boolean namespaced;
    public final ResourceDefinitionContext context;

    SyncKind(String kind, String plural, String singular, boolean namespaced) {
        this.kind = kind;
        this.plural = plural;
        this.singular = singular;
        this.namespaced = namespaced;
        this.context = new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
                .withPlural(plural).withNamespaced(namespaced).build();
    }

    public String crdName() {
        return plural + "." + GROUP;
    }

    public static SyncKind forNamespace(String namespace) {
        return namespace == null || namespace.isEmpty() ? CLUSTER_OBJECT_SYNC : OBJECT_SYNC;
    }
}
