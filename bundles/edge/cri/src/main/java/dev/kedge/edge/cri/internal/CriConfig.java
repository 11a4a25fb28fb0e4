package dev.kedge.edge.cri.internal;

/**
 * The CRI keys of Edged's configuration (PID {@code dev.kedge.edge.edged}: KubeEdge keeps them in edged's section,
 * so a gateway vendor edits one file). Edged owns that PID's metatype; this is only the typed view the CRI client
 * reads. Defaults are KubeEdge's.
 */
public @interface CriConfig {

    /** The CRI runtime service socket, {@code unix:///path} (or a bare absolute path, as kubelet accepts). */
    String remoteRuntimeEndpoint() default CriSettings.DEFAULT_ENDPOINT;

    /** The CRI image service socket; empty = the runtime endpoint. */
    String remoteImageEndpoint() default CriSettings.DEFAULT_ENDPOINT;

    /** Seconds a PullImage may take (KubeEdge/kubelet {@code runtimeRequestTimeout}). */
    int runtimeRequestTimeout() default 120;

    /** Seconds any other CRI call may take (Kedge's own key: status calls must not hang the pod loop). */
    int criCallTimeout() default 10;
}
