package dev.kedge.cloud.kube.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Where the client configuration comes from; {@code files} is empty for {@link Kind#IN_CLUSTER}. */
public record KubeconfigSource(Kind kind, List<Path> files) {

    public enum Kind {
        /** the {@code kubeconfig} property of the configuration */
        CONFIGURED,
        /** the KUBECONFIG environment variable (a path list, merged like kubectl does) */
        KUBECONFIG_ENV,
        /** ~/.kube/config */
        HOME,
        /** the pod's service account (KUBERNETES_SERVICE_HOST/PORT + token file) */
        IN_CLUSTER
    }

    public KubeconfigSource {
        files = List.copyOf(files);
    }

    @Override
    public String toString() {
        String paths = files.stream().map(Path::toString).collect(Collectors.joining(":"));
        return switch (kind) {
            case CONFIGURED -> "kubeconfig " + paths + " (configured)";
            case KUBECONFIG_ENV -> "kubeconfig " + paths + " (KUBECONFIG)";
            case HOME -> "kubeconfig " + paths;
            case IN_CLUSTER -> "in-cluster service account";
        };
    }
}
