package dev.kedge.itests.modules;

import java.util.HashMap;
import java.util.Map;

/** Parses a "PREFIX k=v k=v" stats line the way an end-to-end test would. */
final class Stats {
    private Stats() {
    }

    static Map<String, Long> parse(String line) {
        Map<String, Long> m = new HashMap<>();
        for (String kv : line.substring(line.indexOf(' ') + 1).split(" ")) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
        }
        return m;
    }
}
