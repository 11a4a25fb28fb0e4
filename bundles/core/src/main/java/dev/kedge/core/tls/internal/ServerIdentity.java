package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * "HTTPS" endpoint identification (RFC 2818, RFC 6125): the host a client dialled must be named by the server's
 * certificate. An IP literal must equal one of its IP address SANs; a DNS name must match one of its DNS SANs, or, if
 * it has none, its most specific common name; a wildcard stands for exactly one whole leftmost label
 * ({@code *.example.com} names {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}).
 */
public final class ServerIdentity {
    private ServerIdentity() {
    }

    public static void check(String host, X509Certificate cert) throws CertificateException {
        if (host == null || host.isEmpty()) {
            throw new CertificateException("no host name to check the server's certificate against");
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] ip = Sans.ipLiteral(bare);
        if (ip != null ? namesIp(cert, ip) : namesHost(cert, bare)) {
            return;
        }
        throw new CertificateException("the server's certificate (" + cert.getSubjectX500Principal()
                + ") names neither " + host + " nor a pattern of it in its subject alternative names");
    }

    private static boolean namesIp(X509Certificate cert, byte[] ip) throws CertificateParsingException {
        for (String san : sans(cert, Sans.IP_ADDRESS)) {
            if (Arrays.equals(ip, Sans.ipLiteral(san))) {
                return true;
            }
        }
        return false;
    }

    private static boolean namesHost(X509Certificate cert, String host) throws CertificateException {
        List<String> dns = sans(cert, Sans.DNS_NAME);
        if (dns.isEmpty()) {
            try {
                List<String> cns = Names.values(cert.getSubjectX500Principal(), Names.CN);
                return !cns.isEmpty() && matches(host, cns.get(cns.size() - 1));
            } catch (IOException e) {
                throw new CertificateException("the server's certificate subject cannot be read: " + e.getMessage(), e);
            }
        }
        for (String name : dns) {
            if (matches(host, name)) {
                return true;
            }
        }
        return false;
    }

    static boolean matches(String host, String pattern) {
        String h = withoutTrailingDot(host.toLowerCase(Locale.ROOT));
        String p = withoutTrailingDot(pattern.toLowerCase(Locale.ROOT));
        if (!p.startsWith("*.")) {
            return h.equals(p);
        }
        String parent = p.substring(2);
        int firstDot = h.indexOf('.');
        // the parent has at least two labels: "*.com" names no host
        return parent.indexOf('.') > 0 && firstDot > 0 && h.substring(firstDot + 1).equals(parent);
    }

    private static String withoutTrailingDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static List<String> sans(X509Certificate cert, int type) throws CertificateParsingException {
        Collection<List<?>> all = cert.getSubjectAlternativeNames();
        List<String> out = new ArrayList<>();
        if (all != null) {
            for (List<?> san : all) {
                if (san.size() >= 2 && san.get(0) instanceof Integer t && t == type && san.get(1) instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
