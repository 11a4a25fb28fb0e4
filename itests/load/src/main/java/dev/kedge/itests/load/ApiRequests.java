package dev.kedge.itests.load;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own request counter ({@code apiserver_request_total} of {@code /metrics}), summed by
 * "VERB resource[/subresource]". Requests to non-resource paths (/metrics, /healthz...) have no resource: they are
 * kept apart as "VERB -" so that the benchmark's own scrapes can be told from the cloud's traffic.
 */
final class ApiRequests {
    private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{([^}]*)}\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private ApiRequests() {
    }

    /** "VERB resource[/subresource]" → count, from a Prometheus text exposition. */
    static Map<String, Long> parse(String metrics) {
        Map<String, Long> m = new HashMap<>();
        for (String line : metrics.split("\n")) {
            Matcher s = SAMPLE.matcher(line);
            if (!s.find()) {
                continue;
            }
            Map<String, String> labels = new HashMap<>();
            Matcher l = LABEL.matcher(s.group(1));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
            String resource = labels.getOrDefault("resource", "");
            String sub = labels.getOrDefault("subresource", "");
            String key = labels.getOrDefault("verb", "?") + " " + (resource.isEmpty() ? "-" : resource)
                    + (sub.isEmpty() ? "" : "/" + sub);
            m.merge(key, (long) Double.parseDouble(s.group(2)), Long::sum);
        }
        return m;
    }

    /** after − before, per key; keys that did not move are left out. */
    static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long x = v - before.getOrDefault(k, 0L);
            if (x != 0) {
                d.put(k, x);
            }
        });
        return d;
    }

    /** Sum of the resource requests (non-resource paths, i.e. the benchmark's own /metrics reads, excluded). */
    static long resourceTotal(Map<String, Long> delta) {
        return delta.entrySet().stream().filter(e -> !e.getKey().endsWith(" -")).mapToLong(Map.Entry::getValue)
                .sum();
    }
}
