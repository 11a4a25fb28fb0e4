package dev.kedge.cloud.controller.internal;

import dev.kedge.core.ResourceTypes;

/** A namespaced object by KubeEdge resource type ({@code pod}, {@code configmap}, {@code secret}), namespace and name. */
record ObjectRef(String type, String namespace, String name) {
    static final String POD = ResourceTypes.POD;
    static final String CONFIGMAP = ResourceTypes.CONFIGMAP;
    static final String SECRET = ResourceTypes.SECRET;

    /** The informer store key. */
    String key() {
        return namespace + "/" + name;
    }
}
