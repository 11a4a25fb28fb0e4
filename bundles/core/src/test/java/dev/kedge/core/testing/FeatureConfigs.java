package dev.kedge.core.testing;

import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The default configurations the features install ({@code <config name="PID">} blocks of
 * features/src/main/feature/feature.xml) checked against the config annotations' defaults: a key in one and not the
 * other, or a different value, fails the test that calls {@link #assertMatches}, so the two cannot drift apart.
 */
public final class FeatureConfigs {
    private static final Pattern BLOCK = Pattern.compile(
            "<config name=\"([^\"]+)\"[^>]*>(.*?)</config>", Pattern.DOTALL);

    private FeatureConfigs() {
    }

    /** feature.xml, found from a module's directory by walking up to the reactor root. */
    public static Path featureXml() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path f = d.resolve("features/src/main/feature/feature.xml");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new IllegalStateException("no features/src/main/feature/feature.xml above " + dir);
    }

    /** The {@code key = value} lines of the config block of {@code pid}, comments left out. */
    public static Map<String, String> block(String pid) {
        String xml;
        try {
            xml = Files.readString(featureXml());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Matcher m = BLOCK.matcher(xml);
        while (m.find()) {
            if (m.group(1).equals(pid)) {
                Map<String, String> out = new LinkedHashMap<>();
                for (String line : m.group(2).split("\n")) {
                    String l = line.trim();
                    if (l.isEmpty() || l.startsWith("#")) {
                        continue;
                    }
                    int eq = l.indexOf('=');
                    if (eq < 0) {
                        throw new IllegalStateException("config " + pid + ": no '=' in line '" + l + "'");
                    }
                    out.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
                }
                return out;
            }
        }
        throw new IllegalStateException("feature.xml has no <config name=\"" + pid + "\">");
    }

    /** The annotation's attributes and their defaults, written as a .cfg file would write them. */
    public static Map<String, String> defaults(Class<?> configType) {
        Map<String, String> out = new TreeMap<>();
        for (Method m : configType.getDeclaredMethods()) {
            Object d = m.getDefaultValue();
            out.put(m.getName(), d == null ? null : cfgText(d));
        }
        return out;
    }

    /**
     * Fails (AssertionError) unless the feature's block for {@code pid} sets exactly the annotation's attributes
     * to its defaults. {@code notInFeature} lists attributes the feature leaves out on purpose.
     */
    public static void assertMatches(String pid, Class<?> configType, String... notInFeature) {
        Map<String, String> feature = new TreeMap<>(block(pid));
        Map<String, String> annotation = defaults(configType);
        for (String k : notInFeature) {
            annotation.remove(k);
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : annotation.entrySet()) {
            if (!feature.containsKey(e.getKey())) {
                problems.add(e.getKey() + " is missing (annotation default '" + e.getValue() + "')");
            } else if (!feature.get(e.getKey()).equals(e.getValue())) {
                problems.add(e.getKey() + " = '" + feature.get(e.getKey()) + "' but the annotation says '"
                        + e.getValue() + "'");
            }
        }
        for (String k : feature.keySet()) {
            if (!annotation.containsKey(k)) {
                problems.add(k + " is not an attribute of " + configType.getSimpleName());
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("feature.xml <config name=\"" + pid + "\"> and " + configType.getSimpleName()
                    + " disagree: " + String.join("; ", problems));
        }
    }

    private static String cfgText(Object d) {
        if (d.getClass().isArray()) {
            List<String> parts = new ArrayList<>();
            for (int i = 0; i < Array.getLength(d); i++) {
                parts.add(String.valueOf(Array.get(d, i)));
            }
            return String.join(",", parts);
        }
        return String.valueOf(d);
    }
}
