package dev.kedge.itests;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one counter from console output, whether printed as a table row ({@code name | 12}) or {@code name=12}. */
final class Counters {
    private Counters() {
    }

    static long of(String output, String name) {
        Matcher m = Pattern.compile("(?m)(?:^|[\\s|])" + Pattern.quote(name) + "\\s*(?:\\||=|:)\\s*(-?\\d+)")
                .matcher(output);
        if (!m.find()) {
            throw new AssertionError("no counter " + name + " in: " + output);
        }
        return Long.parseLong(m.group(1));
    }
}
