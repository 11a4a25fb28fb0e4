package dev.kedge.itests.load;

import java.util.Arrays;

/** Latency summary of a set of samples in µs: count, p50, p90, p99, max (ms, nearest-rank). */
record Percentiles(int n, double p50, double p90, double p99, double max) {

    static Percentiles of(long[] micros) {
        long[] s = micros.clone();
        Arrays.sort(s);
        return new Percentiles(s.length, at(s, 0.50), at(s, 0.90), at(s, 0.99), at(s, 1.0));
    }

    private static double at(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1000.0;
    }

    String summary() {
        return n == 0 ? "no samples"
                : String.format("p50 %.1f / p90 %.1f / p99 %.1f / max %.1f ms (n=%d)", p50, p90, p99, max, n);
    }
}
