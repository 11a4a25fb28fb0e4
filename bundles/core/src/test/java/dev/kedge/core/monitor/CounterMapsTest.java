package dev.kedge.core.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CounterMapsTest {

    @Test
    void consoleNamesBecomeSnakeCaseMetricNames() {
        assertEquals("upstream_rejected_busy", CounterMaps.snake("upstream.rejectedBusy"));
        assertEquals("ws_refused_per_address", CounterMaps.snake("wsRefusedPerAddress"));
        assertEquals("api_device_patch_p50_micros", CounterMaps.snake("api.devicePatch.p50Micros"));
        assertEquals("upstream_lease_stale_version", CounterMaps.snake("upstream.lease.staleVersion"));
    }

    @Test
    void countersAndGaugesAreToldApart() {
        List<String> written = new ArrayList<>();
        MetricWriter out = new MetricWriter() {
            @Override
            public MetricWriter counter(String name, String help, double value, String... labels) {
                written.add("counter " + name + " " + (long) value);
                return this;
            }

            @Override
            public MetricWriter gauge(String name, String help, double value, String... labels) {
                written.add("gauge " + name + " " + (long) value);
                return this;
            }
        };
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("connectedNodes", 3L);
        values.put("malformedFrames", 7L);
        CounterMaps.write(out, "cloudhub", "CloudHub", values, Set.of("connectedNodes"));
        assertEquals(List.of("gauge kedge_cloudhub_connected_nodes 3", "counter kedge_cloudhub_malformed_frames 7"),
                written);
    }
}
