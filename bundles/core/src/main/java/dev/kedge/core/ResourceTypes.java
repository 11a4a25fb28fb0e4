package dev.kedge.core;

/** KubeEdge's resource types, the {@code <type>} part of a {@link Resource} (its {@code model.ResourceType*}). */
public final class ResourceTypes {
    public static final String POD = "pod";
    public static final String POD_STATUS = "podstatus";
    public static final String POD_PATCH = "podpatch";
    public static final String POD_LIST = "podlist";
    public static final String NODE = "node";
    public static final String NODE_STATUS = "nodestatus";
    public static final String NODE_PATCH = "nodepatch";
    public static final String LEASE = "lease";
    public static final String CONFIGMAP = "configmap";
    public static final String SECRET = "secret";
    public static final String SERVICE_ACCOUNT_TOKEN = "serviceaccounttoken";
    public static final String PERSISTENT_VOLUME = "persistentvolume";
    public static final String PERSISTENT_VOLUME_CLAIM = "persistentvolumeclaim";
    public static final String VOLUME_ATTACHMENT = "volumeattachment";
    public static final String CERTIFICATE_SIGNING_REQUEST = "certificatesigningrequest";
    // device management (devices.kubeedge.io)
    public static final String MEMBERSHIP = "membership";
    public static final String DEVICE = "device";
    public static final String DEVICE_MODEL = "devicemodel";
    public static final String TWIN = "twin";

    private ResourceTypes() {
    }
}
