package dev.kedge.monitor.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.kedge.core.monitor.MetricWriter;

/**
 * Prometheus text exposition format 0.0.4: per metric name one {@code # HELP} and one {@code # TYPE} line, then its
 * samples, whichever source and call they came from. Not thread-safe: one per scrape.
 */
final class Exposition implements MetricWriter {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final Map<String, Family> families = new LinkedHashMap<>();
    private long conflicts;

    private record Family(String type, String help, List<String> samples) {
    }

    @Override
    public MetricWriter counter(String name, String help, double value, String... labels) {
        String n = name(name);
        return add(n.endsWith("_total") ? n : n + "_total", "counter", help, value, labels);
    }

    @Override
    public MetricWriter gauge(String name, String help, double value, String... labels) {
        return add(name(name), "gauge", help, value, labels);
    }

    /** Samples dropped because their name was already used with another type. */
    long conflicts() {
        return conflicts;
    }

    String text() {
        StringBuilder b = new StringBuilder(4096);
        families.forEach((name, f) -> {
            b.append("# HELP ").append(name).append(' ').append(escapeHelp(f.help())).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            f.samples().forEach(s -> b.append(s).append('\n'));
        });
        return b.toString();
    }

    private MetricWriter add(String name, String type, String help, double value, String[] labels) {
        Family f = families.computeIfAbsent(name, n -> new Family(type, help == null ? "" : help, new ArrayList<>()));
        if (!f.type().equals(type)) {
            conflicts++;
            return this;
        }
        f.samples().add(name + labels(labels) + ' ' + value(value));
        return this;
    }

    static String labels(String[] pairs) {
        if (pairs == null || pairs.length < 2) {
            return "";
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(labelName(pairs[i])).append("=\"").append(escapeLabel(pairs[i + 1])).append('"');
        }
        return b.append('}').toString();
    }

    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** Characters outside {@code [a-zA-Z0-9_:]} become {@code _}; a leading digit gets a {@code _} before it. */
    static String name(String raw) {
        StringBuilder b = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                    || (c >= '0' && c <= '9');
            b.append(ok ? c : '_');
        }
        if (b.length() == 0 || Character.isDigit(b.charAt(0))) {
            b.insert(0, '_');
        }
        return b.toString();
    }

    private static String labelName(String raw) {
        return name(raw).replace(':', '_');
    }

    // 0.0.4: in label values escape backslash, double quote and line feed; in HELP backslash and line feed
    static String escapeLabel(String s) {
        return s == null ? "" : s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
