package dev.kedge.device.virtual.internal;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.kedge.device.driver.Channel;

/**
 * One simulated property. Visitor configData: {@code mode} = {@code constant} (default; {@code value}, changed by
 * writes), {@code counter} ({@code min} start, {@code step}, wraps after {@code max}), {@code random} (uniform in
 * [{@code min},{@code max}]), {@code sine} (between {@code min} and {@code max}, {@code periodMs}, default 60000);
 * {@code dataType} ({@code int}, {@code float}, {@code boolean}, {@code string}; default: the model's type, else
 * {@code float}); {@code delayMs} simulates a slow device.
 */
final class Generator {
    private final Channel config;
    private final String mode;
    private final String dataType;
    private final double min;
    private final double max;
    private final double step;
    private final long periodMs;
    private final long delayMs;
    private double counter;
    private String constant;

    private Generator(Channel c) {
        this.config = c;
        this.mode = c.config("mode", "constant").toLowerCase(Locale.ROOT);
        this.dataType = c.config("dataType", c.type().isEmpty() ? "float" : c.type()).toLowerCase(Locale.ROOT);
        this.min = number(c, "min", 0);
        this.max = number(c, "max", 100);
        this.step = number(c, "step", 1);
        this.periodMs = (long) number(c, "periodMs", 60_000);
        this.delayMs = (long) number(c, "delayMs", 0);
        if (max < min) {
            throw new IllegalArgumentException("max " + max + " is below min " + min);
        }
        if (periodMs <= 0) {
            throw new IllegalArgumentException("periodMs must be positive");
        }
        switch (mode) {
            case "constant", "counter", "random", "sine" -> { }
            default -> throw new IllegalArgumentException("unknown mode '" + mode
                    + "' (constant, counter, random, sine)");
        }
        this.counter = min;
        this.constant = c.config("value", "0");
    }

    static Generator of(Channel c) {
        return new Generator(c);
    }

    Channel config() {
        return config;
    }

    /** Waits {@code delayMs}; false when that passes the deadline (the wait is cut there). */
    boolean delay(long deadlineNanos) throws InterruptedException {
        if (delayMs <= 0) {
            return true;
        }
        long left = deadlineNanos - System.nanoTime();
        long wait = TimeUnit.MILLISECONDS.toNanos(delayMs);
        TimeUnit.NANOSECONDS.sleep(Math.max(0, Math.min(left, wait)));
        return wait <= left;
    }

    synchronized String next() {
        return switch (mode) {
            case "counter" -> {
                double v = counter;
                counter = counter + step > max ? min : counter + step;
                yield format(v);
            }
            case "random" -> format(min + ThreadLocalRandom.current().nextDouble() * (max - min));
            case "sine" -> {
                double phase = 2 * Math.PI * (System.currentTimeMillis() % periodMs) / periodMs;
                yield format(min + (max - min) * (Math.sin(phase) + 1) / 2);
            }
            default -> constant;
        };
    }

    /** A write sets the constant (and restarts a counter there). */
    synchronized String set(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("empty value");
        }
        String v = value.strip();
        if ("int".equals(dataType) || "float".equals(dataType) || "double".equals(dataType)) {
            try {
                counter = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + v + "' is not a number (dataType " + dataType + ")");
            }
        } else if ("boolean".equals(dataType) && !"true".equals(v) && !"false".equals(v)) {
            throw new IllegalArgumentException("'" + v + "' is not true or false");
        }
        constant = v;
        return v;
    }

    private String format(double v) {
        return switch (dataType) {
            case "int", "integer", "long" -> Long.toString(Math.round(v));
            case "boolean" -> Boolean.toString(v >= (min + max) / 2);
            case "string" -> Double.toString(v);
            default -> new BigDecimal(v).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        };
    }

    private static double number(Channel c, String key, double fallback) {
        String v = c.config(key, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + v + "' is not a number");
        }
    }
}
