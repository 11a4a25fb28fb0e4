package dev.kedge.device.modbus.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Register words ↔ a twin's text value for a {@link Visitor}: byte and register swaps, then the dataType over the
 * big-endian bytes, then the scale (reads multiply, writes divide). An int read with a fractional scale is truncated
 * toward zero, as Go's conversion does in KubeEdge's mapper; a float or double over one register is a scaled signed
 * 16-bit integer (the usual {@code scale: 0.1} temperature register).
 */
final class Codec {
    private Codec() {
    }

    static String decodeWords(Visitor v, int[] words) {
        byte[] b = bytes(v, words);
        ByteBuffer buf = ByteBuffer.wrap(b);
        return switch (v.dataType()) {
            case "float", "double" -> number(v, switch (words.length) {
                case 1 -> BigDecimal.valueOf(buf.getShort()); // a scaled integer register
                case 2 -> decimal(buf.getFloat());
                default -> decimal(buf.getDouble());
            });
            case "boolean" -> Boolean.toString(words[0] != 0);
            case "string" -> new String(b, StandardCharsets.US_ASCII).replace("\0", "").strip();
            default -> number(v, BigDecimal.valueOf(switch (words.length) {
                case 1 -> buf.getShort();
                case 2 -> buf.getInt();
                default -> buf.getLong();
            }));
        };
    }

    static String decodeBits(Visitor v, boolean[] bits) {
        if ("boolean".equals(v.dataType()) || bits.length == 1 && "string".equals(v.dataType())) {
            return Boolean.toString(bits[0]);
        }
        long n = 0;
        for (int i = 0; i < bits.length && i < 63; i++) {
            n |= bits[i] ? 1L << i : 0;
        }
        return number(v, BigDecimal.valueOf(n));
    }

    /** The words to write for {@code text}; IllegalArgumentException when it does not fit. */
    static int[] encodeWords(Visitor v, String text) {
        int n = v.limit();
        ByteBuffer buf = ByteBuffer.allocate(2 * n);
        switch (v.dataType()) {
            case "boolean" -> buf.putShort((short) (bool(text) ? 1 : 0));
            case "string" -> {
                byte[] s = text.getBytes(StandardCharsets.US_ASCII);
                if (s.length > 2 * n) {
                    throw new IllegalArgumentException("'" + text + "' is longer than " + 2 * n + " bytes");
                }
                buf.put(s);
            }
            case "float", "double" -> {
                double d = raw(v, text);
                if (n == 1) {
                    buf.putShort((short) Math.round(d));
                } else if (n == 2) {
                    buf.putFloat((float) d);
                } else {
                    buf.putDouble(d);
                }
            }
            default -> {
                long l = Math.round(raw(v, text));
                long bits = 16L * n;
                if (bits < 64 && (l < -(1L << (bits - 1)) || l >= 1L << bits)) {
                    throw new IllegalArgumentException(text + " does not fit in " + n + " register(s)");
                }
                switch (n) {
                    case 1 -> buf.putShort((short) l);
                    case 2 -> buf.putInt((int) l);
                    default -> buf.putLong(l);
                }
            }
        }
        byte[] b = buf.array();
        return words(v, b);
    }

    static boolean bool(String text) {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "on" -> true;
            case "false", "0", "off" -> false;
            default -> throw new IllegalArgumentException("'" + text + "' is not a boolean (true/false/1/0)");
        };
    }

    /** The value before scaling, checked against min/max. */
    private static double raw(Visitor v, String text) {
        double d;
        try {
            d = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (v.min() != null && d < v.min() || v.max() != null && d > v.max()) {
            throw new IllegalArgumentException(text + " is outside [" + v.min() + ", " + v.max() + "]");
        }
        return d / v.scale();
    }

    /** Scales in decimal (222 × 0.1 is 22.2, not 22.200000000000003); ints are truncated toward zero. */
    private static String number(Visitor v, BigDecimal raw) {
        if (raw == null) {
            return "NaN";
        }
        BigDecimal d = raw.multiply(BigDecimal.valueOf(v.scale()));
        if ("int".equals(v.dataType()) || "integer".equals(v.dataType())) {
            return d.setScale(0, RoundingMode.DOWN).toPlainString();
        }
        d = d.stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** The decimal a float32 prints as (1.1f is 1.1, not 1.100000023841858); null for NaN and infinities. */
    private static BigDecimal decimal(float f) {
        return Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
    }

    private static BigDecimal decimal(double d) {
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
    }

    private static byte[] bytes(Visitor v, int[] words) {
        int n = words.length;
        byte[] b = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            int w = words[v.swapRegisters() ? n - 1 - i : i];
            byte hi = (byte) (w >> 8);
            byte lo = (byte) w;
            b[2 * i] = v.swapBytes() ? lo : hi;
            b[2 * i + 1] = v.swapBytes() ? hi : lo;
        }
        return b;
    }

    /** The inverse of {@link #bytes}. */
    private static int[] words(Visitor v, byte[] b) {
        int n = b.length / 2;
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            int hi = b[2 * i] & 0xff;
            int lo = b[2 * i + 1] & 0xff;
            w[v.swapRegisters() ? n - 1 - i : i] = v.swapBytes() ? lo << 8 | hi : hi << 8 | lo;
        }
        return w;
    }
}
