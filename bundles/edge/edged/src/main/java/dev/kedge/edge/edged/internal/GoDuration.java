package dev.kedge.edge.edged.internal;

import java.time.Duration;

/** Go's time.Duration text for whole seconds ({@code 10s}, {@code 1m20s}, {@code 5m0s}), as kubelet's messages. */
final class GoDuration {
    private GoDuration() {
    }

    static String format(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        long h = s / 3600;
        long m = (s % 3600) / 60;
        return (h > 0 ? h + "h" + m + "m" : m + "m") + (s % 60) + "s";
    }
}
