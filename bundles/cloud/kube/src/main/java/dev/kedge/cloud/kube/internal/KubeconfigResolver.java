package dev.kedge.cloud.kube.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Picks the configuration source in kubectl's order: an explicit path, then KUBECONFIG, then ~/.kube/config, then
 * the in-cluster service account (client-go's rule: KUBERNETES_SERVICE_HOST and _PORT set and a token file).
 * A source that is named but unusable is an error, never a silent fall-through to the next one.
 */
public final class KubeconfigResolver {
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private final UnaryOperator<String> env;
    private final Path home;
    private final Path serviceAccountToken;

    KubeconfigResolver(UnaryOperator<String> env, Path home, Path serviceAccountToken) {
        this.env = env;
        this.home = home;
        this.serviceAccountToken = serviceAccountToken;
    }

    /** This process's environment; HOME as kubectl reads it, user.home when unset. */
    public static KubeconfigResolver ofProcess() {
        String home = System.getenv("HOME");
        return new KubeconfigResolver(System::getenv, Path.of(isBlank(home) ? System.getProperty("user.home") : home),
                SERVICE_ACCOUNT_TOKEN);
    }

    public KubeconfigSource resolve(String configuredPath) {
        if (!isBlank(configuredPath)) {
            Path path = Path.of(configuredPath.trim());
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new KubeconfigException("kubeconfig " + path + " (property 'kubeconfig' of "
                        + "dev.kedge.cloud.kube) is not a readable file");
            }
            return new KubeconfigSource(KubeconfigSource.Kind.CONFIGURED, List.of(path));
        }
        String list = env.apply("KUBECONFIG");
        if (!isBlank(list)) {
            // like kubectl: files of the list that do not exist are skipped
            List<Path> files = Arrays.stream(list.split(File.pathSeparator)).filter(s -> !s.isBlank())
                    .map(Path::of).filter(Files::isRegularFile).toList();
            if (files.isEmpty()) {
                throw new KubeconfigException("KUBECONFIG=" + list + " names no existing file");
            }
            return new KubeconfigSource(KubeconfigSource.Kind.KUBECONFIG_ENV, files);
        }
        Path homeConfig = home.resolve(".kube").resolve("config");
        if (Files.isRegularFile(homeConfig)) {
            return new KubeconfigSource(KubeconfigSource.Kind.HOME, List.of(homeConfig));
        }
        if (!isBlank(env.apply("KUBERNETES_SERVICE_HOST")) && !isBlank(env.apply("KUBERNETES_SERVICE_PORT"))
                && Files.isRegularFile(serviceAccountToken)) {
            return new KubeconfigSource(KubeconfigSource.Kind.IN_CLUSTER, List.of());
        }
        throw new KubeconfigException("no Kubernetes configuration found: set 'kubeconfig' in etc/dev.kedge.cloud.kube.cfg, "
                + "or KUBECONFIG, or create " + homeConfig + ", or run in a pod with a service account");
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
