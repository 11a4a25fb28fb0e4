package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import javax.security.auth.x500.X500Principal;

/**
 * X.500 distinguished names (RFC 5280 4.1.2.4), one attribute per RDN, in the order given. Values are UTF8String
 * except the country, a PrintableString: the string types the certificates and CSRs have always carried (and
 * RFC 5280's advice). {@link X500Principal} is not used to build names because it picks PrintableString for any
 * value that fits, which would change the subject bytes of every certificate.
 */
public final class Names {
    public static final String CN = "2.5.4.3";
    public static final String C = "2.5.4.6";
    public static final String L = "2.5.4.7";
    public static final String ST = "2.5.4.8";
    public static final String O = "2.5.4.10";

    private Names() {
    }

    /** An attribute type and value, e.g. {@code rdn(O, "system:nodes")}. */
    public record Rdn(String type, String value) {
    }

    public static Rdn rdn(String type, String value) {
        return new Rdn(type, value);
    }

    /** The DER of a Name made of these RDNs. */
    public static byte[] encode(List<Rdn> rdns) {
        List<byte[]> out = new ArrayList<>();
        for (Rdn r : rdns) {
            byte[] value = C.equals(r.type()) ? Der.printableString(r.value()) : Der.utf8String(r.value());
            out.add(Der.setOf(Der.sequence(Der.oid(r.type()), value)));
        }
        return Der.sequence(out);
    }

    /**
     * The values of every {@code type} attribute in a Name, in order, multi-valued RDNs included. Values are the raw
     * strings, not RFC 4514-escaped ("system:node:a,b" compares as written); a non-string value comes back as
     * {@code #} and the hex of its encoding, RFC 4514's form.
     */
    public static List<String> values(byte[] nameDer, String type) throws IOException {
        List<String> out = new ArrayList<>();
        for (Tlv rdn : Tlv.parse(nameDer).expect(Der.SEQUENCE, "Name").children()) {
            for (Tlv atv : rdn.expect(Der.SET, "RelativeDistinguishedName").children()) {
                List<Tlv> tv = atv.sequence("AttributeTypeAndValue", 2, 2);
                if (tv.get(0).oid().equals(type)) {
                    String s = tv.get(1).string();
                    out.add(s != null ? s : "#" + HexFormat.of().formatHex(tv.get(1).encoded()));
                }
            }
        }
        return out;
    }

    /** {@link #values(byte[], String)} of a certificate's subject or issuer. */
    public static List<String> values(X500Principal principal, String type) throws IOException {
        return values(principal.getEncoded(), type);
    }
}
