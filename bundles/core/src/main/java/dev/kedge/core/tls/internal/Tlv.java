package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One DER element read from bytes: a view of tag, content and the element's exact encoding. Children are parsed on
 * demand, so only the parts of a CSR or key the code looks at are interpreted. Strict where it costs nothing:
 * definite lengths only, no bytes after the outermost element, lengths that stay inside their parent; high tag
 * numbers (≥ 31) are refused because nothing this package reads uses them. Errors are {@link IOException}s.
 */
public final class Tlv {
    private final byte[] buf;
    private final int tag;
    private final int start;
    private final int contentStart;
    private final int end;

    private Tlv(byte[] buf, int tag, int start, int contentStart, int end) {
        this.buf = buf;
        this.tag = tag;
        this.start = start;
        this.contentStart = contentStart;
        this.end = end;
    }

    /** Exactly one element spanning all of {@code der}. */
    public static Tlv parse(byte[] der) throws IOException {
        if (der == null || der.length == 0) {
            throw new IOException("empty DER");
        }
        Tlv t = read(der, 0, der.length);
        if (t.end != der.length) {
            throw new IOException((der.length - t.end) + " bytes after the DER element");
        }
        return t;
    }

    private static Tlv read(byte[] b, int pos, int limit) throws IOException {
        if (limit - pos < 2) {
            throw new IOException("truncated DER element at offset " + pos);
        }
        int tag = b[pos] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw new IOException("high tag number at offset " + pos);
        }
        int first = b[pos + 1] & 0xff;
        int p = pos + 2;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new IOException("indefinite length (BER, not DER) at offset " + pos);
        } else {
            int n = first & 0x7f;
            if (n > 4 || limit - p < n) {
                throw new IOException("bad length at offset " + pos);
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = (length << 8) | (b[p++] & 0xff);
            }
        }
        if (length > limit - p) {
            throw new IOException("length " + length + " at offset " + pos + " runs past its container");
        }
        return new Tlv(b, tag, pos, p, p + (int) length);
    }

    public int tag() {
        return tag;
    }

    public boolean constructed() {
        return (tag & Der.CONSTRUCTED) != 0;
    }

    /** This element if its tag is {@code expected}, else an error naming {@code what}. */
    public Tlv expect(int expected, String what) throws IOException {
        if (tag != expected) {
            throw new IOException(what + ": expected tag 0x" + Integer.toHexString(expected) + ", got 0x"
                    + Integer.toHexString(tag));
        }
        return this;
    }

    public byte[] content() {
        return Arrays.copyOfRange(buf, contentStart, end);
    }

    /** The whole element as it was read (tag, length, content): what a signature covers. */
    public byte[] encoded() {
        return Arrays.copyOfRange(buf, start, end);
    }

    /** The elements inside a constructed element, in order. */
    public List<Tlv> children() throws IOException {
        if (!constructed()) {
            throw new IOException("tag 0x" + Integer.toHexString(tag) + " is primitive, not constructed");
        }
        List<Tlv> out = new ArrayList<>();
        for (int p = contentStart; p < end; ) {
            Tlv child = read(buf, p, end);
            out.add(child);
            p = child.end;
        }
        return out;
    }

    /** The elements of a SEQUENCE, of which there must be between {@code min} and {@code max}. */
    public List<Tlv> sequence(String what, int min, int max) throws IOException {
        List<Tlv> items = expect(Der.SEQUENCE, what).children();
        if (items.size() < min || items.size() > max) {
            throw new IOException(what + ": " + items.size() + " elements, expected " + min + "-" + max);
        }
        return items;
    }

    public BigInteger integer() throws IOException {
        expect(Der.INTEGER, "INTEGER");
        if (end == contentStart) {
            throw new IOException("empty INTEGER");
        }
        return new BigInteger(buf, contentStart, end - contentStart);
    }

    /** Dotted text of an OBJECT IDENTIFIER. */
    public String oid() throws IOException {
        expect(Der.OID, "OBJECT IDENTIFIER");
        if (end == contentStart || (buf[end - 1] & 0x80) != 0) {
            throw new IOException("malformed OBJECT IDENTIFIER");
        }
        StringBuilder s = new StringBuilder();
        long arc = 0;
        boolean first = true;
        for (int p = contentStart; p < end; p++) {
            if (arc > (Long.MAX_VALUE >>> 7)) {
                throw new IOException("OBJECT IDENTIFIER arc too large");
            }
            arc = (arc << 7) | (buf[p] & 0x7f);
            if ((buf[p] & 0x80) == 0) {
                if (first) { // the first byte(s) carry two arcs: 40 * a + b, where a is 0, 1 or 2
                    long a = Math.min(arc / 40, 2);
                    s.append(a).append('.').append(arc - 40 * a);
                    first = false;
                } else {
                    s.append('.').append(arc);
                }
                arc = 0;
            }
        }
        return s.toString();
    }

    /** The bytes of a BIT STRING holding whole bytes (keys, signatures). */
    public byte[] bitStringBytes() throws IOException {
        expect(Der.BIT_STRING, "BIT STRING");
        if (end == contentStart || buf[contentStart] != 0) {
            throw new IOException("BIT STRING with unused bits where whole bytes were expected");
        }
        return Arrays.copyOfRange(buf, contentStart + 1, end);
    }

    /**
     * The text of a character-string type (the directory string types of X.520 names), or null for other tags.
     * T61String is read as Latin-1, as most decoders do.
     */
    public String string() {
        Charset cs = switch (tag) {
            case Der.UTF8_STRING -> StandardCharsets.UTF_8;
            case 0x12, Der.PRINTABLE_STRING, Der.IA5_STRING, 0x1a -> StandardCharsets.US_ASCII; // Numeric, Visible
            case 0x14 -> StandardCharsets.ISO_8859_1; // T61String
            case 0x1e -> StandardCharsets.UTF_16BE; // BMPString
            case 0x1c -> Charset.forName("UTF-32BE"); // UniversalString
            default -> null;
        };
        return cs == null ? null : new String(buf, contentStart, end - contentStart, cs);
    }
}
