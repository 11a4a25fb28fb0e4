package dev.kedge.cloud.kube.internal;

import java.io.File;
import java.util.stream.Collectors;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.KubeConfigUtils;

/** Turns a {@link KubeconfigSource} and our settings into fabric8's {@link Config}, failing with a clear message. */
final class ClientConfigs {
    private ClientConfigs() {
    }

    static Config from(KubeconfigSource source, KubeClientConfig settings) {
        String context = settings.context() == null || settings.context().isBlank() ? null : settings.context().trim();
        Config config;
        try {
            config = source.kind() == KubeconfigSource.Kind.IN_CLUSTER
                    // fabric8 reads the service account itself and re-reads the rotated token after a 401
                    ? Config.autoConfigure(null)
                    : fromFiles(source, context);
        } catch (RuntimeException e) { // fabric8 rethrows YAML parser errors unwrapped
            throw new KubeconfigException(source + " cannot be used: " + describe(e), e);
        }
        if (source.kind() != KubeconfigSource.Kind.IN_CLUSTER) {
            NamedContext current = config.getCurrentContext();
            if (context != null && (current == null || !context.equals(current.getName()))) {
                // fabric8 would silently fall back to current-context; kubectl refuses, so do we
                throw new KubeconfigException("context '" + context + "' is not in " + source);
            }
            if (current == null) {
                throw new KubeconfigException(source + " has no usable current-context: set 'context' in dev.kedge.cloud.kube");
            }
            if (config.getNamespace() == null) {
                config.setNamespace("default"); // kubectl's namespace when the context names none
            }
        }
        config.setConnectionTimeout(settings.connectTimeoutMs());
        config.setRequestTimeout(settings.requestTimeoutMs());
        config.setRequestRetryBackoffLimit(settings.requestRetryBackoffLimit());
        config.setRequestRetryBackoffInterval(settings.requestRetryBackoffIntervalMs());
        return config;
    }

    /** YAML errors span lines (position, excerpt, caret): one log line, bounded. */
    private static String describe(RuntimeException e) {
        String line = KubeErrors.describe(e).lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("^"))
                .collect(Collectors.joining(" "));
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    private static Config fromFiles(KubeconfigSource source, String context) {
        if (source.files().size() == 1) {
            return Config.fromKubeconfig(context, source.files().get(0).toFile());
        }
        // KUBECONFIG=a:b — fabric8's public API merges a list only inside autoConfigure (which also applies env
        // overrides); its merge helper keeps kubectl's rule: the first file to set a value wins
        Config config = Config.empty();
        KubeConfigUtils.merge(config, context, source.files().stream()
                .map(p -> KubeConfigUtils.parseConfig(new File(p.toString())))
                .toArray(io.fabric8.kubernetes.api.model.Config[]::new));
        return config;
    }
}
