package dev.kedge.core.tls.internal;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

/**
 * A DER writer for the few ASN.1 types certificates, CSRs and EC keys need (X.690). The JDK parses these structures
 * ({@code CertificateFactory}, {@code KeyFactory}) but has no public API to build them, and this is all the encoding
 * the TLS package needs — a few hundred lines instead of BouncyCastle's 10 MB. Every method returns one complete
 * element (tag, length, content); {@link Tlv} reads them back.
 */
public final class Der {
    public static final int BOOLEAN = 0x01;
    public static final int INTEGER = 0x02;
    public static final int BIT_STRING = 0x03;
    public static final int OCTET_STRING = 0x04;
    public static final int NULL = 0x05;
    public static final int OID = 0x06;
    public static final int UTF8_STRING = 0x0c;
    public static final int PRINTABLE_STRING = 0x13;
    public static final int IA5_STRING = 0x16;
    public static final int UTC_TIME = 0x17;
    public static final int GENERALIZED_TIME = 0x18;
    public static final int SEQUENCE = 0x30;
    public static final int SET = 0x31;
    /** Context-specific class bits; OR the tag number in (constructed adds 0x20). */
    public static final int CONTEXT = 0x80;
    public static final int CONSTRUCTED = 0x20;

    private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    private Der() {
    }

    /** One element: {@code tag}, the definite length (short or long form), the parts' bytes concatenated. */
    public static byte[] tlv(int tag, byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    public static byte[] sequence(byte[]... items) {
        return tlv(SEQUENCE, items);
    }

    public static byte[] sequence(List<byte[]> items) {
        return tlv(SEQUENCE, items.toArray(byte[][]::new));
    }

    /** SET OF: DER orders the elements by their encodings (X.690 11.6), so callers need not. */
    public static byte[] setOf(byte[]... items) {
        byte[][] sorted = items.clone();
        Arrays.sort(sorted, Arrays::compareUnsigned);
        return tlv(SET, sorted);
    }

    /** Two's complement, minimal length: exactly {@link BigInteger#toByteArray()}. */
    public static byte[] integer(BigInteger value) {
        return tlv(INTEGER, value.toByteArray());
    }

    public static byte[] integer(long value) {
        return integer(BigInteger.valueOf(value));
    }

    public static byte[] bool(boolean value) {
        return tlv(BOOLEAN, new byte[] {(byte) (value ? 0xff : 0x00)});
    }

    public static byte[] octetString(byte[] content) {
        return tlv(OCTET_STRING, content);
    }

    /** A BIT STRING of whole bytes (keys, signatures): zero unused bits. */
    public static byte[] bitString(byte[] bytes) {
        return tlv(BIT_STRING, new byte[] {0}, bytes);
    }

    /**
     * A named-bit list such as KeyUsage, bit 0 first (the most significant bit of the first byte); DER drops trailing
     * zero bits and counts the unused bits of the last byte (X.690 11.2.2).
     */
    public static byte[] namedBits(int... bits) {
        int highest = Arrays.stream(bits).max().orElse(-1);
        if (highest < 0) {
            return tlv(BIT_STRING, new byte[] {0});
        }
        byte[] value = new byte[highest / 8 + 1];
        for (int b : bits) {
            value[b / 8] |= (byte) (0x80 >>> (b % 8));
        }
        return tlv(BIT_STRING, new byte[] {(byte) (7 - highest % 8)}, value);
    }

    /** An OBJECT IDENTIFIER from dotted text ("1.2.840.10045.2.1"): the first two arcs share a byte, base 128. */
    public static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        if (arcs.length < 2) {
            throw new IllegalArgumentException("OID needs at least two arcs: " + dotted);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            base128(out, Long.parseLong(arcs[i]));
        }
        return tlv(OID, out.toByteArray());
    }

    private static void base128(ByteArrayOutputStream out, long arc) {
        if (arc < 0) {
            throw new IllegalArgumentException("negative OID arc " + arc);
        }
        int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
        for (int g = groups - 1; g >= 0; g--) {
            out.write((int) ((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
        }
    }

    public static byte[] utf8String(String s) {
        return tlv(UTF8_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    /** PrintableString; the caller passes only its character set (a country code here). */
    public static byte[] printableString(String s) {
        return tlv(PRINTABLE_STRING, s.getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] ia5String(String s) {
        return tlv(IA5_STRING, s.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * X.509 Time (RFC 5280 4.1.2.5): UTCTime for the years 1950-2049, GeneralizedTime otherwise; whole seconds, UTC.
     */
    public static byte[] time(Instant instant) {
        ZonedDateTime t = instant.atZone(ZoneOffset.UTC);
        boolean utc = t.getYear() >= 1950 && t.getYear() <= 2049;
        String text = (utc ? UTC_TIME_FORMAT : GENERALIZED_TIME_FORMAT).format(t);
        return tlv(utc ? UTC_TIME : GENERALIZED_TIME, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code [n] EXPLICIT}: a constructed context tag around a whole element. */
    public static byte[] explicit(int n, byte[] element) {
        return tlv(CONTEXT | CONSTRUCTED | n, element);
    }

    /** {@code [n] IMPLICIT} over a primitive type: the content with the context tag in place of the universal one. */
    public static byte[] implicitPrimitive(int n, byte[] content) {
        return tlv(CONTEXT | n, content);
    }

    /** {@code [n] IMPLICIT} over a constructed type (SET OF, SEQUENCE): keeps the constructed bit. */
    public static byte[] implicitConstructed(int n, byte[]... parts) {
        return tlv(CONTEXT | CONSTRUCTED | n, parts);
    }
}
