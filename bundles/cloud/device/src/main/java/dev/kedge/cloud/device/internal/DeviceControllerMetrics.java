package dev.kedge.cloud.device.internal;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.cloud.device.DeviceController;
import dev.kedge.core.monitor.CounterMaps;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;

/** What {@code devicecontroller:stats} shows, as {@code kedge_devicecontroller_*}; latency percentiles are gauges. */
@Component(service = MetricSource.class)
public final class DeviceControllerMetrics implements MetricSource {
    private final DeviceController controller;

    @Activate
    public DeviceControllerMetrics(@Reference DeviceController controller) {
        this.controller = controller;
    }

    @Override
    public void collect(MetricWriter out) {
        Map<String, Long> all = controller.counters();
        Set<String> gauges = all.keySet().stream().filter(k -> k.endsWith("Micros")).collect(Collectors.toSet());
        CounterMaps.write(out, "devicecontroller", "DeviceController", all, gauges);
        out.gauge("kedge_devicecontroller_devices", "Devices the controller knows", controller.devices().size());
    }
}
