package dev.kedge.cloud.kube.internal;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.cloud.kube.KubeClients;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;
import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.monitor.ReadinessCheck;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;

/**
 * Readiness {@code kube}: the API server answered {@code GET /version} within the last probes. The probe runs every
 * few seconds, asynchronously with its own timeout, so {@code /readyz} never waits on the network.
 */
@Component(service = {ReadinessCheck.class, MetricSource.class}, property = ReadinessCheck.NAME + "=kube")
public final class KubeReadiness implements ReadinessCheck, MetricSource {
    static final Duration PERIOD = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final URI version;
    private final ScheduledFuture<?> probe;
    private final LongAdder failures = new LongAdder();
    private volatile Readiness last = Readiness.notReady("not probed yet");
    private volatile long latencyMillis = -1;

    @Activate
    public KubeReadiness(@Reference(target = KubeClients.DEFAULT_FILTER) KubernetesClient client,
            @Reference SharedScheduler scheduler) {
        this.http = client.getHttpClient();
        this.version = URI.create(client.getMasterUrl().toString().replaceAll("/+$", "") + "/version");
        this.probe = scheduler.scheduleWithFixedDelay("kube readiness probe", this::probe, Duration.ZERO, PERIOD);
    }

    @Deactivate
    void deactivate() {
        probe.cancel(false);
    }

    private void probe() {
        long t0 = System.nanoTime();
        HttpRequest request = http.newHttpRequestBuilder().uri(version).build();
        http.sendAsync(request, String.class).orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((response, error) -> {
                    if (error == null && response.code() == 200) {
                        latencyMillis = (System.nanoTime() - t0) / 1_000_000;
                        last = Readiness.ready("API server " + version.getAuthority() + " answers");
                    } else {
                        failures.increment();
                        last = Readiness.notReady("API server " + version.getAuthority() + " unreachable: "
                                + (error != null ? error : "HTTP " + response.code()));
                    }
                });
    }

    @Override
    public Readiness check() {
        return last;
    }

    @Override
    public void collect(MetricWriter out) {
        out.gauge("kedge_kube_reachable", "1 when the API server answered the latest probe", last.ready() ? 1 : 0);
        out.gauge("kedge_kube_probe_latency_ms", "Latency of the latest successful probe", latencyMillis);
        out.counter("kedge_kube_probe_failures_total", "Probes of the API server that failed", failures.sum());
    }
}
