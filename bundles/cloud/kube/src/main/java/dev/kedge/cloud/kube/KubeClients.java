package dev.kedge.cloud.kube;

/**
 * How cloud modules find the shared {@code io.fabric8.kubernetes.client.KubernetesClient} service:
 * {@code @Reference(target = KubeClients.DEFAULT_FILTER) KubernetesClient client}. The client belongs to the
 * registering bundle: use it, never close it.
 */
public final class KubeClients {
    /** Service property naming the client; the cluster Kedge runs against is {@link #DEFAULT}. */
    public static final String PROPERTY = "kedge.kube";
    public static final String DEFAULT = "default";
    public static final String DEFAULT_FILTER = "(" + PROPERTY + "=" + DEFAULT + ")";
    /** Service property: where the configuration came from, e.g. {@code kubeconfig /root/.kube/config}. */
    public static final String SOURCE = "kedge.kube.source";
    /** PID of the client's configuration ({@code etc/dev.kedge.cloud.kube.cfg}). */
    public static final String PID = "dev.kedge.cloud.kube";

    private KubeClients() {
    }
}
