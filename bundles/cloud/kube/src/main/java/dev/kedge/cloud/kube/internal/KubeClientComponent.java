package dev.kedge.cloud.kube.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.kube.KubeClients;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;

/**
 * Builds the one {@link KubernetesClient} of the cloud side and registers it with {@code kedge.kube=default}.
 * The component registers the client itself (a DS component can only publish its own instance). A configuration
 * change re-creates the client; consumers see the service go and come back. Configuration errors fail the
 * activation with a clear message (kube:info shows it); an unreachable API server does not: fabric8 retries.
 */
@Component(name = KubeClients.PID, immediate = true)
@Designate(ocd = KubeClientConfig.class)
public final class KubeClientComponent {
    private static final Logger LOG = LoggerFactory.getLogger(KubeClientComponent.class);

    private final KubernetesClient client;
    private final ServiceRegistration<KubernetesClient> registration;
    private volatile boolean closed;

    @Activate
    public KubeClientComponent(BundleContext context, KubeClientConfig settings) {
        KubeconfigSource source;
        Config config;
        try {
            source = KubeconfigResolver.ofProcess().resolve(settings.kubeconfig());
            config = ClientConfigs.from(source, settings);
        } catch (KubeconfigException e) {
            LOG.error("Kubernetes client not started: {}", e.getMessage());
            throw e;
        }
        // an explicit factory: no ServiceLoader lookup of an HTTP client across bundles (the JDK one is embedded)
        client = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(KubeClients.PROPERTY, KubeClients.DEFAULT);
        props.put(KubeClients.SOURCE, source.toString());
        registration = context.registerService(KubernetesClient.class, client, props);
        LOG.info("Kubernetes client for {} from {} (context {}, namespace {})", config.getMasterUrl(), source,
                config.getCurrentContext() == null ? "-" : config.getCurrentContext().getName(), config.getNamespace());
        CompletableFuture.runAsync(this::logServerVersion);
    }

    /** Off the activation thread: a slow or absent API server must not hold up the framework. */
    private void logServerVersion() {
        try {
            LOG.info("Kubernetes API server {} is {}", client.getMasterUrl(), client.getKubernetesVersion().getGitVersion());
        } catch (RuntimeException e) {
            if (!closed) {
                LOG.warn("Kubernetes API server {} not reachable yet: {}", client.getMasterUrl(), KubeErrors.describe(e));
            }
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the framework unregisters a stopping bundle's services itself
        }
        client.close();
        LOG.info("Kubernetes client for {} closed", client.getMasterUrl());
    }
}
