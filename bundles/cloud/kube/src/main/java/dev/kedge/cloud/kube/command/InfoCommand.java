package dev.kedge.cloud.kube.command;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.cloud.kube.internal.KubeErrors;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;

@Service
@Command(scope = "kube", name = "info", description = "Show the shared Kubernetes client: API server, version, namespace count")
public class InfoCommand implements Action {
    private static final long ANSWER_WAIT_S = 15;

    @Reference
    private BundleContext bundleContext;

    @Reference(optional = true)
    private ServiceComponentRuntime scr;

    @Override
    public Object execute() throws Exception {
        Collection<ServiceReference<KubernetesClient>> refs =
                bundleContext.getServiceReferences(KubernetesClient.class, KubeClients.DEFAULT_FILTER);
        if (refs.isEmpty()) {
            System.out.println("No Kubernetes client " + KubeClients.DEFAULT_FILTER + ": " + whyMissing());
            return null;
        }
        ServiceReference<KubernetesClient> ref = refs.iterator().next();
        KubernetesClient client = bundleContext.getService(ref);
        try {
            Config config = client.getConfiguration();
            line("Server", client.getMasterUrl());
            line("Source", ref.getProperty(KubeClients.SOURCE));
            line("Context", config.getCurrentContext() == null ? "-" : config.getCurrentContext().getName());
            line("Namespace", config.getNamespace());
            // a failure is shown, not thrown; an unreachable server is waited for once, not twice
            Answer version = ask(() -> client.getKubernetesVersion().getGitVersion());
            line("Version", version);
            line("Namespaces", version.failed() ? "-" : ask(() -> client.namespaces().list().getItems().size()));
        } finally {
            bundleContext.ungetService(ref);
        }
        return null;
    }

    private static void line(String key, Object value) {
        System.out.printf("%-11s %s%n", key, value);
    }

    private record Answer(Object value, boolean failed) {
        @Override
        public String toString() {
            return String.valueOf(value);
        }
    }

    /** fabric8 retries a refused connection with backoff for minutes: the console waits at most ANSWER_WAIT_S. */
    private static Answer ask(Supplier<Object> call) {
        try {
            return new Answer(CompletableFuture.supplyAsync(call).get(ANSWER_WAIT_S, TimeUnit.SECONDS), false);
        } catch (TimeoutException e) {
            return new Answer("ERROR no answer within " + ANSWER_WAIT_S + " s", true);
        } catch (ExecutionException e) {
            return new Answer("ERROR " + KubeErrors.describe(e.getCause()), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer("ERROR interrupted", true);
        }
    }

    /** The component's own failure, as SCR recorded it (a bad kubeconfig ends up here). */
    private String whyMissing() {
        if (scr == null) {
            return "Declarative Services is not running";
        }
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs()) {
            if (!KubeClients.PID.equals(description.name)) {
                continue;
            }
            if (!scr.isComponentEnabled(description)) {
                return "component " + KubeClients.PID + " is disabled (scr:enable " + KubeClients.PID + ")";
            }
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(description)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION && c.failure != null) {
                    return rootMessage(c.failure);
                }
            }
            return "component " + KubeClients.PID + " is not active (see log:display)";
        }
        return "bundle " + KubeClients.PID + " is not started";
    }

    /** SCR records a stack trace; constructor injection wraps our exception, so the first "Caused by:" is ours. */
    private static String rootMessage(String failure) {
        String line = failure.lines().filter(l -> l.startsWith("Caused by: ")).findFirst()
                .map(l -> l.substring("Caused by: ".length()))
                .orElse(failure.lines().findFirst().orElse(failure));
        // "pkg.SomeException: message" -> "message"
        int colon = line.indexOf(": ");
        return colon > 0 && !line.substring(0, colon).contains(" ") ? line.substring(colon + 2) : line;
    }
}
