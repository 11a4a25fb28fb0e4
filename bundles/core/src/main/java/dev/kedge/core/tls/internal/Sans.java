package dev.kedge.core.tls.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.kedge.core.tls.TlsException;

/**
 * Subject alternative names as encoded GeneralName elements (RFC 5280 4.2.1.6): {@code [2] dNSName} (IA5String) and
 * {@code [7] iPAddress} (4 or 16 octets). Kept as encoded bytes so names copied from a CSR reach the certificate
 * unchanged.
 */
public final class Sans {
    public static final int DNS_NAME = 2;
    public static final int IP_ADDRESS = 7;

    private static final Pattern DNS_PATTERN =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private Sans() {
    }

    /** IPv4/IPv6 literals become IP entries (parsed here: no DNS lookup), everything else must be a DNS name. */
    public static List<byte[]> parse(List<String> entries) throws TlsException {
        List<byte[]> names = new ArrayList<>();
        for (String raw : entries) {
            String s = raw == null ? "" : raw.trim();
            byte[] ip = ipLiteral(s);
            if (ip != null) {
                names.add(Der.implicitPrimitive(IP_ADDRESS, ip));
            } else if (s.length() <= 253 && DNS_PATTERN.matcher(s).matches()) {
                names.add(Der.implicitPrimitive(DNS_NAME, s.getBytes(StandardCharsets.US_ASCII)));
            } else {
                throw new TlsException("SAN \"" + raw + "\" is neither an IP address nor a DNS name");
            }
        }
        return names;
    }

    /** The extension value: GeneralNames, a SEQUENCE of the encoded names. */
    public static byte[] extensionValue(List<byte[]> names) {
        return Der.sequence(names);
    }

    /** The tag number of an encoded GeneralName (its context tag without class and constructed bits). */
    public static int tagNumber(byte[] generalName) {
        return generalName[0] & 0x1f;
    }

    /** 4 bytes for dotted-quad IPv4, 16 for IPv6 text (RFC 4291 2.2, "::" and a trailing IPv4 allowed), else null. */
    static byte[] ipLiteral(String s) {
        byte[] v4 = ipv4(s);
        return v4 != null ? v4 : ipv6(s);
    }

    private static byte[] ipv4(String s) {
        var m = IPV4.matcher(s);
        if (!m.matches()) {
            return null;
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = Integer.parseInt(m.group(i + 1));
            if (v > 255) {
                return null;
            }
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] ipv6(String s) {
        if (s.indexOf(':') < 0) {
            return null;
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            return null; // at most one "::"
        }
        List<Integer> head = new ArrayList<>();
        List<Integer> tail = new ArrayList<>();
        if (gap < 0) {
            if (!groups(s, head, true)) {
                return null;
            }
        } else if (!groups(s.substring(0, gap), head, false) || !groups(s.substring(gap + 2), tail, true)) {
            return null;
        }
        int words = head.size() + tail.size();
        if (gap < 0 ? words != 8 : words > 7) {
            return null; // "::" stands for at least one zero group
        }
        byte[] out = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            out[2 * i] = (byte) (head.get(i) >>> 8);
            out[2 * i + 1] = (byte) (int) head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            int at = 2 * (8 - tail.size() + i);
            out[at] = (byte) (tail.get(i) >>> 8);
            out[at + 1] = (byte) (int) tail.get(i);
        }
        return out;
    }

    /** Colon-separated 16-bit groups into {@code out}; if {@code lastMayBeV4}, the last may be IPv4 (two groups). */
    private static boolean groups(String part, List<Integer> out, boolean lastMayBeV4) {
        if (part.isEmpty()) {
            return true;
        }
        String[] items = part.split(":", -1);
        for (int i = 0; i < items.length; i++) {
            if (HEX_GROUP.matcher(items[i]).matches()) {
                out.add(Integer.parseInt(items[i], 16));
            } else if (lastMayBeV4 && i == items.length - 1 && ipv4(items[i]) != null) {
                byte[] v4 = ipv4(items[i]);
                out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
                out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
            } else {
                return false;
            }
        }
        return true;
    }
}
