package dev.kedge.cloud.device.internal;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** The last {@code capacity} report → status latencies (µs), for p50/p99 in the stats. */
final class Latencies {
    private final long[] ring;
    private long count;

    Latencies(int capacity) {
        ring = new long[capacity];
    }

    synchronized void record(long micros) {
        ring[(int) (count++ % ring.length)] = micros;
    }

    synchronized Map<String, Long> snapshot(String prefix) {
        Map<String, Long> m = new TreeMap<>();
        int n = (int) Math.min(count, ring.length);
        if (n == 0) {
            return m;
        }
        long[] sorted = Arrays.copyOf(ring, n);
        Arrays.sort(sorted);
        m.put(prefix + ".samples", count);
        m.put(prefix + ".p50Micros", sorted[(n - 1) / 2]);
        m.put(prefix + ".p99Micros", sorted[(int) Math.ceil(n * 0.99) - 1]);
        m.put(prefix + ".maxMicros", sorted[n - 1]);
        return m;
    }
}
