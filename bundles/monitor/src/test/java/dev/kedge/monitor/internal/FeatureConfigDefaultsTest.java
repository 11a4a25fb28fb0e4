package dev.kedge.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The defaults live in the config annotations; the features' commented config must say the same. */
class FeatureConfigDefaultsTest {
    private static final Path FEATURE = Path.of("../../features/src/main/feature/feature.xml");

    @Test
    void cloudFeatureConfigEqualsAnnotationDefaults() throws IOException {
        assertEquals(defaults(CloudMonitorConfig.class), featureConfig("dev.kedge.cloud.monitor"));
    }

    @Test
    void edgeFeatureConfigEqualsAnnotationDefaults() throws IOException {
        assertEquals(defaults(EdgeMonitorConfig.class), featureConfig("dev.kedge.edge.monitor"));
    }

    private static Map<String, String> defaults(Class<?> annotation) {
        Map<String, String> m = new TreeMap<>();
        for (Method a : annotation.getDeclaredMethods()) {
            Object v = a.getDefaultValue();
            m.put(a.getName(), v instanceof String[] arr ? String.join(",", arr) : String.valueOf(v));
        }
        return m;
    }

    private static Map<String, String> featureConfig(String pid) throws IOException {
        assertTrue(Files.isRegularFile(FEATURE), "run from bundles/monitor: " + FEATURE.toAbsolutePath());
        Matcher block = Pattern.compile("<config name=\"" + Pattern.quote(pid) + "\">(.*?)</config>", Pattern.DOTALL)
                .matcher(Files.readString(FEATURE));
        assertTrue(block.find(), "no <config name=\"" + pid + "\"> in " + FEATURE);
        Map<String, String> m = new TreeMap<>();
        for (String line : block.group(1).split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            m.put(l.substring(0, eq).trim(), l.substring(eq + 1).trim());
        }
        return m;
    }
}
