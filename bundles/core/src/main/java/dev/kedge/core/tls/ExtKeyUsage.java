package dev.kedge.core.tls;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.json.Json;

/**
 * Extended key usages with Go's {@code x509.ExtKeyUsage} numbers, because that is how an edge names them in the
 * {@code ExtKeyUsages} header of {@code GET /edge.crt}: a JSON list such as {@code [2]}
 * ({@code cloud/pkg/cloudhub/servers/httpserver/certificate/certs.go}; absent header = {@code [CLIENT_AUTH]}).
 */
public enum ExtKeyUsage {
    ANY(0, "2.5.29.37.0"),
    SERVER_AUTH(1, "1.3.6.1.5.5.7.3.1"),
    CLIENT_AUTH(2, "1.3.6.1.5.5.7.3.2"),
    CODE_SIGNING(3, "1.3.6.1.5.5.7.3.3"),
    EMAIL_PROTECTION(4, "1.3.6.1.5.5.7.3.4"),
    IPSEC_END_SYSTEM(5, "1.3.6.1.5.5.7.3.5"),
    IPSEC_TUNNEL(6, "1.3.6.1.5.5.7.3.6"),
    IPSEC_USER(7, "1.3.6.1.5.5.7.3.7"),
    TIME_STAMPING(8, "1.3.6.1.5.5.7.3.8"),
    OCSP_SIGNING(9, "1.3.6.1.5.5.7.3.9");

    private final int goCode;
    private final String oid;

    ExtKeyUsage(int goCode, String oid) {
        this.goCode = goCode;
        this.oid = oid;
    }

    /** The value of Go's {@code x509.ExtKeyUsage} constant. */
    public int goCode() {
        return goCode;
    }

    /** The dotted OID, as {@link java.security.cert.X509Certificate#getExtendedKeyUsage()} lists it. */
    public String oid() {
        return oid;
    }

    public static ExtKeyUsage fromGoCode(int code) throws TlsException {
        for (ExtKeyUsage u : values()) {
            if (u.goCode == code) {
                return u;
            }
        }
        throw new TlsException("unknown or unsupported ExtKeyUsage " + code + " (known: 0-9)");
    }

    /** Parses the {@code ExtKeyUsages} header; null or blank means KubeEdge's default, client auth only. */
    public static List<ExtKeyUsage> parseHeader(String header) throws TlsException {
        if (header == null || header.isBlank()) {
            return List.of(CLIENT_AUTH);
        }
        JsonNode node;
        try {
            node = Json.parse(header);
        } catch (IOException e) {
            throw new TlsException("ExtKeyUsages header is not JSON: " + header, e);
        }
        if (node == null || !node.isArray()) {
            throw new TlsException("ExtKeyUsages header must be a JSON list of numbers, got: " + header);
        }
        List<ExtKeyUsage> usages = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isIntegralNumber()) {
                throw new TlsException("ExtKeyUsages header must be a JSON list of numbers, got: " + header);
            }
            usages.add(fromGoCode(n.intValue()));
        }
        return List.copyOf(usages);
    }
}
