package dev.kedge.edge.edged.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The part of Kubernetes resource quantities a node needs: parsing reservations like {@code 100m} or {@code 1Gi},
 * and writing capacities in canonical form ({@code 2}, {@code 1900m}, {@code 24684084Ki}, {@code 110}).
 */
public final class Quantities {
    private static final String[] BINARY = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final Map<String, BigDecimal> SUFFIXES = new LinkedHashMap<>();

    static {
        SUFFIXES.put("m", new BigDecimal("0.001"));
        SUFFIXES.put("", BigDecimal.ONE);
        String decimal = "kMGTPE";
        for (int i = 0; i < decimal.length(); i++) {
            SUFFIXES.put(String.valueOf(decimal.charAt(i)), BigDecimal.TEN.pow(3 * (i + 1)));
            SUFFIXES.put(BINARY[i], BigDecimal.valueOf(2).pow(10 * (i + 1)));
        }
    }

    private Quantities() {
    }

    /** {@code text} in thousandths (cpu cores → millicores), rounded up as Kubernetes does. */
    public static long milli(String text) {
        return parse(text).movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** {@code text} as a whole number (bytes, pods), rounded up. */
    public static long units(String text) {
        return parse(text).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** Parses {@code <number><suffix>}; throws IllegalArgumentException naming the problem. */
    public static BigDecimal parse(String text) {
        String t = text == null ? "" : text.strip();
        int end = t.length();
        while (end > 0 && Character.isLetter(t.charAt(end - 1))) {
            end--;
        }
        BigDecimal factor = SUFFIXES.get(t.substring(end));
        if (factor == null || end == 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not a quantity (e.g. 100m, 2, 512Mi, 1G)");
        }
        try {
            BigDecimal v = new BigDecimal(t.substring(0, end)).multiply(factor);
            if (v.signum() < 0) {
                throw new IllegalArgumentException("quantity \"" + text + "\" is negative");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a quantity (e.g. 100m, 2, 512Mi, 1G)");
        }
    }

    /** Cores from millicores: {@code 2000 → "2"}, {@code 1900 → "1900m"}. */
    static String cpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** Bytes with the largest binary suffix that keeps the number whole: {@code 2048 → "2Ki"}, {@code 1000 → "1000"}. */
    static String bytes(long bytes) {
        if (bytes == 0) {
            return "0";
        }
        String suffix = "";
        long v = bytes;
        for (int i = 0; i < BINARY.length && v % 1024 == 0; i++) {
            v /= 1024;
            suffix = BINARY[i];
        }
        return v + suffix;
    }

    /** Parses {@code cpu=100m,memory=1Gi}; keys are Kubernetes resource names. */
    static Map<String, String> list(String text, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        for (String item : text.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(what + ": \"" + item.strip() + "\" is not key=value");
            }
            out.put(item.substring(0, eq).strip(), item.substring(eq + 1).strip());
        }
        return out;
    }
}
