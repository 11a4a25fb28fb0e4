package dev.kedge.core.monitor;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@code Map<String, Long>} counters a module already shows on its console ({@code cloudhub:stats} ...)
 * as metrics {@code kedge_<module>_<counter>}: dots and camel case become snake case, counters get {@code _total}.
 */
public final class CounterMaps {
    private CounterMaps() {
    }

    /**
     * @param gauges names in {@code values} that go up and down (connections now, queue depth); the rest are counters
     */
    public static void write(MetricWriter out, String module, String help, Map<String, Long> values, Set<String> gauges) {
        for (Map.Entry<String, Long> e : values.entrySet()) {
            String name = "kedge_" + module + "_" + snake(e.getKey());
            if (gauges.contains(e.getKey())) {
                out.gauge(name, help + ": " + e.getKey(), e.getValue());
            } else {
                out.counter(name, help + ": " + e.getKey(), e.getValue());
            }
        }
    }

    /** {@code upstream.rejectedBusy} → {@code upstream_rejected_busy}; anything else outside [a-z0-9_] → {@code _}. */
    public static String snake(String name) {
        StringBuilder b = new StringBuilder(name.length() + 8);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && b.length() > 0 && b.charAt(b.length() - 1) != '_') {
                b.append('_');
            }
            char lower = Character.toLowerCase(c);
            b.append((lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9') ? lower : '_');
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }
}
