package dev.kedge.device.host.internal;

import java.lang.management.ManagementFactory;
import java.time.Duration;

import com.sun.management.OperatingSystemMXBean;

import dev.kedge.core.testing.RecordingBus;
import dev.kedge.device.virtual.internal.VirtualDriver;

/**
 * Load program: {@code bench.devices} devices × {@code bench.props} properties at a 1 s collect and report cycle
 * through one driver (the virtual one), for {@code bench.seconds}; prints channel reads/s, twin reports/s, skipped
 * turns and process CPU. Reports go to a {@link RecordingBus} (cleared every second), so this measures the host
 * and the driver, not DeviceTwin's SQLite.
 * <pre>
 * [JAVA_OPTS=-Dbench.devices=1000] scripts/bench.sh host
 * </pre>
 */
public final class HostBenchmark {
    private HostBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int devices = Integer.getInteger("bench.devices", 100);
        int props = Integer.getInteger("bench.props", 10);
        int seconds = Integer.getInteger("bench.seconds", 20);
        HostSettings s = new HostSettings(Duration.ofSeconds(1), Duration.ofSeconds(2), 4, 1024, 1000, 100, 30_000,
                10_000);
        try (HostFixture f = new HostFixture(s)) {
            f.addDriver("virtual", new VirtualDriver());
            for (int d = 0; d < devices; d++) {
                String[] p = new String[props];
                for (int i = 0; i < props; i++) {
                    p[i] = HostFixture.property("p" + i, 1000, "{\"mode\":\"" + (i % 2 == 0 ? "sine" : "counter")
                            + "\"}");
                }
                f.meta.put("bench", "device", "d" + d, "1", HostFixture.device("bench", "d" + d, "virtual", "{}", p));
            }
            Thread.sleep(3000); // all devices started and connected
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long reads0 = f.host.counters().reads.sum();
            long reports0 = f.host.counters().reports.sum();
            long skipped0 = f.host.counters().skipped.sum();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            for (int i = 0; i < seconds; i++) {
                Thread.sleep(1000);
                f.bus.clear();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long reads = f.host.counters().reads.sum() - reads0;
            long reports = f.host.counters().reports.sum() - reports0;
            System.out.printf("%d devices x %d properties at 1 s, %.1f s: %.0f channel reads/s (%d expected),"
                    + " %.0f twin reports/s, %d skipped turns, %d read failures, process CPU %.1f %%%n", devices,
                    props, secs, reads / secs, devices * props, reports / secs, f.host.counters().skipped.sum()
                            - skipped0, f.host.counters().readFailures.sum(),
                    100.0 * (os.getProcessCpuTime() - cpu0) / 1e9 / secs);
        }
    }
}
