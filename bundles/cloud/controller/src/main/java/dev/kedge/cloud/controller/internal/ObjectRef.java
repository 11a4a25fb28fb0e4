package dev.kedge.cloud.controller.internal;

/** A namespaced object by KubeEdge resource type ({@code pod}, {@code configmap}, {@code secret}), namespace and name. */
record ObjectRef(String type, String namespace, String name) {
    static final String POD = "pod";
    static final String CONFIGMAP = "configmap";
    static final String SECRET = "secret";

    /** The informer store key. */
    String key() {
        return namespace + "/" + name;
    }
}
