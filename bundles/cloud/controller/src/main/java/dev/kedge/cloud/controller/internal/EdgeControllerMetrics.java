package dev.kedge.cloud.controller.internal;

import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.cloud.controller.EdgeController;
import dev.kedge.core.monitor.CounterMaps;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;

/** What {@code edgecontroller:stats} shows, as {@code kedge_edgecontroller_*} counters (API calls, events, sends). */
@Component(service = MetricSource.class)
public final class EdgeControllerMetrics implements MetricSource {
    private final EdgeController controller;

    @Activate
    public EdgeControllerMetrics(@Reference EdgeController controller) {
        this.controller = controller;
    }

    @Override
    public void collect(MetricWriter out) {
        CounterMaps.write(out, "edgecontroller", "EdgeController", controller.counters(), Set.of());
    }
}
