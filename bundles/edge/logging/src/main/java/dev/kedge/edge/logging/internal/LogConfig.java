package dev.kedge.edge.logging.internal;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the back-end takes from Karaf's etc/org.ops4j.pax.logging.cfg, written for Log4j 2 (so that Karaf's log:set
 * and log:get, which edit it, work unchanged): the root level, each {@code log4j2.logger.<id>.name/.level}, and of
 * the appenders the rolling file (fileName, size, strategy.max), its layout pattern and the console's threshold.
 * {@code ${key}} and {@code ${key:-default}} are looked up in the file, then in system properties. Other keys
 * (appender types, filters, additivity) are Log4j's and ignored: every event goes to the file, the console (when on)
 * and the OSGi appenders (Karaf's log:display).
 */
record LogConfig(Level root, Map<String, Level> loggers, Path file, long maxBytes, int maxBackups, String pattern,
        Level console) {
    static final String PID = "org.ops4j.pax.logging";
    static final String DEFAULT_PATTERN =
            "%d{ISO8601} | %-5p | %-16t | %-32c{1} | %X{bundle.id} - %X{bundle.name} - %X{bundle.version} | %m%n";
    private static final String ROLLING = "log4j2.appender.rolling.";

    /** Before configuration admin hands over the file: INFO to data/log/karaf.log, as Karaf's default file says. */
    static LogConfig defaults() {
        return of(Map.of());
    }

    static LogConfig of(Map<String, ?> raw) {
        Map<String, String> c = new HashMap<>();
        raw.forEach((k, v) -> c.put(k, v == null ? "" : v.toString()));
        Level root = level(c, "log4j2.rootLogger.level", Level.INFO);
        Map<String, Level> loggers = new TreeMap<>();
        for (Map.Entry<String, String> e : c.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("log4j2.logger.") && k.endsWith(".name")) {
                String id = k.substring(0, k.length() - ".name".length());
                Level l = level(c, id + ".level", null);
                if (l != null) {
                    loggers.put(resolve(c, e.getValue()).strip(), l);
                }
            }
        }
        String dir = System.getProperty("karaf.log", System.getProperty("karaf.data", "data") + "/log");
        String file = c.containsKey(ROLLING + "fileName") ? resolve(c, c.get(ROLLING + "fileName")) : dir + "/karaf.log";
        long size = bytes(resolve(c, c.getOrDefault(ROLLING + "policies.size.size", "16MB")));
        int backups = integer(resolve(c, c.getOrDefault(ROLLING + "strategy.max", "7")), 7);
        String pattern = c.containsKey(ROLLING + "layout.pattern") ? resolve(c, c.get(ROLLING + "layout.pattern"))
                : c.containsKey("log4j2.pattern") ? resolve(c, c.get("log4j2.pattern")) : DEFAULT_PATTERN;
        Level console = Level.parse(resolve(c, c.getOrDefault(
                "log4j2.rootLogger.appenderRef.Console.filter.threshold.level", "${karaf.log.console:-OFF}")));
        return new LogConfig(root, Map.copyOf(loggers), Path.of(file).toAbsolutePath(), size, backups, pattern,
                console == null ? Level.OFF : console);
    }

    /** The level of a logger name: its own, else its nearest configured parent's (at a dot), else the root's. */
    Level levelOf(String name) {
        String n = name == null ? "" : name;
        while (true) {
            Level l = loggers.get(n);
            if (l != null) {
                return l;
            }
            int dot = n.lastIndexOf('.');
            if (dot < 0) {
                return n.isEmpty() ? root : loggers.getOrDefault("", root);
            }
            n = n.substring(0, dot);
        }
    }

    private static Level level(Map<String, String> c, String key, Level fallback) {
        Level l = Level.parse(resolve(c, c.get(key)));
        return l == null ? fallback : l;
    }

    /** {@code ${key}} / {@code ${key:-default}}: the file's own keys, then system properties; at most 10 deep. */
    static String resolve(Map<String, String> c, String value) {
        if (value == null) {
            return null;
        }
        String v = value;
        for (int depth = 0; depth < 10; depth++) {
            int start = v.indexOf("${");
            int end = start < 0 ? -1 : v.indexOf('}', start);
            if (end < 0) {
                return v;
            }
            String ref = v.substring(start + 2, end);
            String fallback = null;
            int dash = ref.indexOf(":-");
            if (dash >= 0) {
                fallback = ref.substring(dash + 2);
                ref = ref.substring(0, dash);
            }
            String found = c.containsKey(ref) ? c.get(ref) : System.getProperty(ref, fallback);
            v = v.substring(0, start) + (found == null ? "" : found) + v.substring(end + 1);
        }
        return v;
    }

    static long bytes(String size) {
        String s = size == null ? "" : size.strip().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        if (s.endsWith("KB")) {
            unit = 1024;
        } else if (s.endsWith("MB")) {
            unit = 1024 * 1024;
        } else if (s.endsWith("GB")) {
            unit = 1024L * 1024 * 1024;
        }
        String digits = unit == 1 ? s.replaceAll("B$", "") : s.substring(0, s.length() - 2);
        int n = integer(digits, -1);
        return n < 0 ? 16L * 1024 * 1024 : Math.max(64 * 1024, n * unit); // Karaf's 16MB when unreadable
    }

    private static int integer(String s, int fallback) {
        try {
            return Integer.parseInt(s.strip());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
