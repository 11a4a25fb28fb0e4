package dev.kedge.monitor.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.Readiness;
import dev.kedge.core.monitor.ReadinessCheck;
import dev.kedge.core.net.Acceptor;
import dev.kedge.monitor.Monitor;
import dev.kedge.monitor.MonitorStatus;

/** The endpoint of one side: routes {@code /healthz}, {@code /readyz}, {@code /metrics} over the whiteboard. */
final class MonitorEndpoint implements Monitor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorEndpoint.class);

    private final Whiteboard whiteboard;
    private final MonitorSettings settings;
    private final HttpEndpoint http;
    private final LongAdder sourceErrors = new LongAdder();

    MonitorEndpoint(Whiteboard whiteboard, MonitorSettings settings, Acceptor acceptor) throws IOException {
        this.whiteboard = whiteboard;
        this.settings = settings;
        this.http = new HttpEndpoint(settings, (method, path) -> route(path), acceptor);
        LOG.info("monitor serving /healthz, /readyz, /metrics on http://{}", http.address());
    }

    HttpResponse route(String path) {
        return switch (path) {
            case "/healthz", "/livez" -> HttpResponse.text(200, "ok\n");
            case "/readyz" -> readyz();
            case "/metrics" -> new HttpResponse(200, Exposition.CONTENT_TYPE, metrics());
            default -> HttpResponse.text(404, "not found: /healthz, /readyz, /metrics\n");
        };
    }

    private HttpResponse readyz() {
        Map<String, Readiness> all = readiness();
        boolean ready = all.values().stream().allMatch(Readiness::ready);
        StringBuilder b = new StringBuilder();
        all.forEach((name, r) -> b.append(r.ready() ? "[+] " : "[-] ").append(name).append(": ").append(r.detail())
                .append('\n'));
        b.append(ready ? "ready\n" : "not ready\n");
        return HttpResponse.text(ready ? 200 : 503, b.toString());
    }

    @Override
    public Map<String, Readiness> readiness() {
        Map<String, Readiness> all = new TreeMap<>();
        whiteboard.checks().forEach((name, check) -> all.put(name, ask(name, check)));
        for (String required : settings.requiredChecks()) {
            all.putIfAbsent(required, Readiness.notReady("not running"));
        }
        return all;
    }

    private static Readiness ask(String name, ReadinessCheck check) {
        try {
            Readiness r = check.check();
            return r == null ? Readiness.notReady("no answer") : r;
        } catch (RuntimeException e) {
            LOG.warn("readiness check {} failed", name, e);
            return Readiness.notReady("check failed: " + e);
        }
    }

    @Override
    public String metrics() {
        Exposition out = new Exposition();
        for (MetricSource source : whiteboard.sources()) {
            try {
                source.collect(out);
            } catch (RuntimeException e) {
                sourceErrors.increment();
                LOG.warn("metric source {} failed", source.getClass().getName(), e);
            }
        }
        own(out);
        return out.text();
    }

    // the endpoint's own counters and the process figures issue #12 watches (threads, heap)
    private void own(Exposition out) {
        out.counter("kedge_monitor_requests_total", "Requests the monitor answered", http.requests.sum());
        out.counter("kedge_monitor_refused_total", "Connections closed at once: maxConnections open",
                http.refused.sum());
        out.counter("kedge_monitor_timeouts_total", "Connections closed: no request within the idle timeout",
                http.timedOut.sum());
        out.counter("kedge_monitor_bad_requests_total", "Requests answered 400, 404, 405 or 431",
                http.badRequests.sum());
        out.counter("kedge_monitor_source_errors_total", "Metric sources that threw", sourceErrors.sum());
        out.gauge("kedge_process_threads", "Live threads of the JVM",
                ManagementFactory.getThreadMXBean().getThreadCount());
        Runtime rt = Runtime.getRuntime();
        out.gauge("kedge_process_heap_used_bytes", "Heap in use", rt.totalMemory() - rt.freeMemory());
        out.gauge("kedge_process_heap_max_bytes", "Heap limit (-Xmx)", rt.maxMemory());
    }

    @Override
    public MonitorStatus status() {
        boolean ready = readiness().values().stream().allMatch(Readiness::ready);
        return new MonitorStatus(http.address(), ready, whiteboard.sourceCount(), http.requests.sum(),
                http.refused.sum(), http.timedOut.sum(), http.badRequests.sum());
    }

    int port() {
        return http.port();
    }

    @Override
    public void close() {
        http.close();
    }
}
