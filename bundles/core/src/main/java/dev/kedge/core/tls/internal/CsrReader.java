package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsException;

/** Parses a PKCS#10 request (RFC 2986) and checks its self-signature (proof that the requester holds the key). */
public final class CsrReader {
    private static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    private static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    private static final String EXTENSION_REQUEST = "1.2.840.113549.1.9.14";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    /** The signature algorithms a CSR may use, by OID (RFC 5758, RFC 4055); JDK names. */
    private static final Map<String, String> SIGNATURES = Map.of(
            "1.2.840.10045.4.1", "SHA1withECDSA",
            "1.2.840.10045.4.3.1", "SHA224withECDSA",
            X509Issuer.ECDSA_WITH_SHA256, "SHA256withECDSA",
            "1.2.840.10045.4.3.3", "SHA384withECDSA",
            "1.2.840.10045.4.3.4", "SHA512withECDSA",
            "1.2.840.113549.1.1.5", "SHA1withRSA",
            "1.2.840.113549.1.1.14", "SHA224withRSA",
            "1.2.840.113549.1.1.11", "SHA256withRSA",
            "1.2.840.113549.1.1.12", "SHA384withRSA",
            "1.2.840.113549.1.1.13", "SHA512withRSA");

    /**
     * What the CA takes from a CSR: the subject (Name DER, see {@link Names#values}), the key, and the DNS/IP SANs
     * KubeEdge copies over (encoded GeneralNames, see {@link Sans}).
     */
    public record Csr(byte[] subject, PublicKey publicKey, List<byte[]> sans) {
    }

    private CsrReader() {
    }

    /** Reads DER (KubeEdge's wire form); PEM text is accepted too, for callers that hold a file. */
    public static Csr read(byte[] derOrPem) throws TlsException {
        if (derOrPem == null || derOrPem.length == 0) {
            throw new TlsException("CSR is empty");
        }
        byte[] der = derOrPem;
        if (startsWithPem(derOrPem)) {
            der = Pem.parseCsr(new String(derOrPem, StandardCharsets.US_ASCII));
        }
        // CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }
        // CertificationRequestInfo ::= SEQUENCE { version, subject, subjectPKInfo, attributes [0] (Go may omit it) }
        Tlv info;
        String sigAlg;
        byte[] signature;
        List<Tlv> fields;
        byte[] subject;
        try {
            List<Tlv> req = Tlv.parse(der).sequence("CertificationRequest", 3, 3);
            info = req.get(0);
            sigAlg = req.get(1).sequence("AlgorithmIdentifier", 1, 2).get(0).oid();
            signature = req.get(2).bitStringBytes();
            fields = info.sequence("CertificationRequestInfo", 3, 4);
            fields.get(0).integer();
            subject = fields.get(1).encoded();
            Names.values(subject, Names.CN); // a well-formed Name
        } catch (IOException | RuntimeException e) {
            throw new TlsException("not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
        PublicKey key = publicKey(fields.get(2));
        String algorithm = SIGNATURES.get(sigAlg);
        if (algorithm == null) {
            throw new TlsException("CSR signature algorithm " + sigAlg + " is not supported");
        }
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(info.encoded());
            if (!verifier.verify(signature)) {
                throw new TlsException("CSR signature does not verify: the requester does not hold its key");
            }
            return new Csr(subject, key, fields.size() == 4 ? sans(fields.get(3)) : List.of());
        } catch (TlsException e) {
            throw e;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new TlsException("CSR cannot be verified: " + e.getMessage(), e);
        }
    }

    /** Through the JDK's KeyFactory by name: the JDK providers do not resolve key algorithms by OID. */
    private static PublicKey publicKey(Tlv spki) throws TlsException {
        String alg;
        try {
            alg = spki.sequence("SubjectPublicKeyInfo", 2, 2).get(0).sequence("AlgorithmIdentifier", 1, 2).get(0).oid();
        } catch (IOException e) {
            throw new TlsException("not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
        String name = EC_PUBLIC_KEY.equals(alg) ? "EC" : RSA_ENCRYPTION.equals(alg) ? "RSA" : null;
        if (name == null) {
            throw new TlsException("CSR key algorithm " + alg + " is not supported (expected EC P-256)");
        }
        try {
            return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(spki.encoded()));
        } catch (GeneralSecurityException e) {
            throw new TlsException("CSR public key is unreadable: " + e.getMessage(), e);
        }
    }

    /** The DNS and IP names of every subjectAltName in the extensionRequest attributes (PKCS#9), in order. */
    private static List<byte[]> sans(Tlv attributes) throws IOException {
        List<byte[]> keep = new ArrayList<>();
        for (Tlv attribute : attributes.expect(Der.CONTEXT | Der.CONSTRUCTED, "attributes").children()) {
            List<Tlv> typeAndValues = attribute.sequence("Attribute", 2, 2);
            if (!typeAndValues.get(0).oid().equals(EXTENSION_REQUEST)) {
                continue;
            }
            List<Tlv> values = typeAndValues.get(1).expect(Der.SET, "attribute values").children();
            if (values.isEmpty()) {
                throw new IOException("extensionRequest without a value");
            }
            Set<String> seen = new HashSet<>();
            for (Tlv ext : values.get(0).expect(Der.SEQUENCE, "Extensions").children()) {
                List<Tlv> e = ext.sequence("Extension", 2, 3);
                String oid = e.get(0).oid();
                if (!seen.add(oid)) {
                    throw new IOException("extension " + oid + " requested twice");
                }
                if (!oid.equals(SUBJECT_ALT_NAME)) {
                    continue;
                }
                byte[] value = e.get(e.size() - 1).expect(Der.OCTET_STRING, "extnValue").content();
                for (Tlv name : Tlv.parse(value).expect(Der.SEQUENCE, "GeneralNames").children()) {
                    if (name.tag() == (Der.CONTEXT | Sans.DNS_NAME) || name.tag() == (Der.CONTEXT | Sans.IP_ADDRESS)) {
                        keep.add(name.encoded());
                    }
                }
            }
        }
        return keep;
    }

    private static boolean startsWithPem(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.US_ASCII).stripLeading();
        return head.startsWith("-----BEGIN");
    }
}
