package dev.kedge.device.modbus.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The scalar members of a flat JSON object ({@code {"ip":"1.2.3.4","port":502}}), enough for {@code tcp: {...}}. */
final class NestedJson {
    private static final Pattern MEMBER = Pattern.compile("\"([^\"]+)\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.eE+]+|true|false)");

    private NestedJson() {
    }

    static Map<String, String> flat(String json) {
        Map<String, String> out = new HashMap<>();
        Matcher m = MEMBER.matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(2));
        }
        return out;
    }
}
