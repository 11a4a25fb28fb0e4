package dev.kedge.core.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.kedge.core.tls.ExtKeyUsage;
import dev.kedge.core.tls.TlsException;

/**
 * Builds certificates the way KubeEdge's Go code does ({@code pkg/security/certs/x509_ca.go}, {@code x509_certs.go}):
 * the same key usages, extended key usages and subject attributes; SHA256withECDSA; random serials. The
 * TBSCertificate is DER-encoded here (RFC 5280 4.1), signed with the JDK's EC provider and parsed back by the JDK's
 * {@link CertificateFactory}, which thereby checks the encoding.
 */
public final class X509Issuer {
    /** ecdsa-with-SHA256 (RFC 5758 3.2): no parameters. */
    public static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String EXTENDED_KEY_USAGE = "2.5.29.37";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String SUBJECT_KEY_IDENTIFIER = "2.5.29.14";
    private static final String AUTHORITY_KEY_IDENTIFIER = "2.5.29.35";
    // KeyUsage bit numbers (RFC 5280 4.2.1.3)
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;

    private static final SecureRandom RANDOM = new SecureRandom();

    private X509Issuer() {
    }

    /** Self-signed CA: CA:true, keyCertSign+digitalSignature+keyEncipherment, serverAuth+clientAuth, SKI. */
    public static X509Certificate selfSignedCa(KeyPair kp, String commonName, Instant from, Instant to)
            throws TlsException {
        byte[] name = Names.encode(List.of(Names.rdn(Names.CN, commonName)));
        try {
            List<byte[]> ext = List.of(
                    extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))), // cA TRUE, no path length
                    extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT, KEY_CERT_SIGN)),
                    extension(EXTENDED_KEY_USAGE, false, ekus(List.of(ExtKeyUsage.SERVER_AUTH, ExtKeyUsage.CLIENT_AUTH))),
                    extension(SUBJECT_KEY_IDENTIFIER, false, Der.octetString(keyIdentifier(kp.getPublic()))));
            return sign(tbs(name, from, to, name, kp.getPublic(), ext), kp.getPrivate());
        } catch (TlsException e) {
            throw e;
        } catch (IOException | GeneralSecurityException e) {
            throw new TlsException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A leaf signed by the CA: subject {@code O=<organizations…>, CN=<commonName>} (Go's RDN order),
     * digitalSignature+keyEncipherment, the given extended usages, optional SANs (encoded GeneralNames, see
     * {@link Sans}), AKI = the CA's SKI if it has one.
     */
    public static X509Certificate issueLeaf(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
            List<String> organizations, String commonName, List<byte[]> sans, List<ExtKeyUsage> usages,
            Instant from, Instant to) throws TlsException {
        List<Names.Rdn> subject = new ArrayList<>();
        organizations.forEach(o -> subject.add(Names.rdn(Names.O, o)));
        subject.add(Names.rdn(Names.CN, commonName));
        try {
            List<byte[]> ext = new ArrayList<>();
            ext.add(extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)));
            ext.add(extension(EXTENDED_KEY_USAGE, false, ekus(usages)));
            if (sans != null && !sans.isEmpty()) {
                ext.add(extension(SUBJECT_ALT_NAME, false, Sans.extensionValue(sans)));
            }
            byte[] skiExt = ca.getExtensionValue(SUBJECT_KEY_IDENTIFIER); // OCTET STRING around the extnValue
            if (skiExt != null) {
                byte[] keyId = Tlv.parse(Tlv.parse(skiExt).expect(Der.OCTET_STRING, "extension").content())
                        .expect(Der.OCTET_STRING, "SubjectKeyIdentifier").content();
                // AuthorityKeyIdentifier ::= SEQUENCE { keyIdentifier [0] IMPLICIT OCTET STRING }
                ext.add(extension(AUTHORITY_KEY_IDENTIFIER, false, Der.sequence(Der.implicitPrimitive(0, keyId))));
            }
            // the issuer name is copied from the CA's own encoding so chain building matches byte for byte
            byte[] issuer = subjectOf(ca.getEncoded());
            return sign(tbs(issuer, from, to, Names.encode(subject), subjectKey, ext), caKey);
        } catch (TlsException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new TlsException("cannot build the certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** TBSCertificate (RFC 5280 4.1.2): v3, random serial, ecdsa-with-SHA256, the extensions in the order given. */
    private static byte[] tbs(byte[] issuer, Instant from, Instant to, byte[] subject, PublicKey key,
            List<byte[]> extensions) {
        return Der.sequence(
                Der.explicit(0, Der.integer(2)), // version v3
                Der.integer(serial()),
                algorithm(),
                issuer,
                Der.sequence(Der.time(from), Der.time(to)),
                subject,
                key.getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                Der.explicit(3, Der.sequence(extensions)));
    }

    /** Extension ::= SEQUENCE { extnID, critical BOOLEAN DEFAULT FALSE (so omitted when false), extnValue }. */
    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
                : Der.sequence(Der.oid(oid), Der.octetString(value));
    }

    private static byte[] ekus(List<ExtKeyUsage> usages) {
        return Der.sequence(usages.stream().map(u -> Der.oid(u.oid())).toList());
    }

    /** AlgorithmIdentifier for ecdsa-with-SHA256. */
    static byte[] algorithm() {
        return Der.sequence(Der.oid(ECDSA_WITH_SHA256));
    }

    /** RFC 5280 4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING's bytes. */
    static byte[] keyIdentifier(PublicKey key) throws IOException, GeneralSecurityException {
        byte[] point = Tlv.parse(key.getEncoded()).sequence("SubjectPublicKeyInfo", 2, 2).get(1).bitStringBytes();
        return MessageDigest.getInstance("SHA-1").digest(point);
    }

    /** The subject Name of a DER certificate, exactly as encoded there. */
    static byte[] subjectOf(byte[] certDer) throws IOException {
        List<Tlv> tbs = Tlv.parse(certDer).sequence("Certificate", 3, 3).get(0).sequence("TBSCertificate", 6, 10);
        int i = tbs.get(0).tag() == (Der.CONTEXT | Der.CONSTRUCTED) ? 1 : 0; // skip [0] version if present
        return tbs.get(i + 4).expect(Der.SEQUENCE, "subject").encoded(); // serial, signature, issuer, validity, subject
    }

    /** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }. */
    private static X509Certificate sign(byte[] tbs, PrivateKey signer) throws TlsException {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(signer, RANDOM);
            s.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm(), Der.bitString(s.sign()));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot sign the certificate: " + e.getMessage(), e);
        }
    }

    /** Positive, non-zero, 127 random bits: unique per issuer without bookkeeping. */
    private static BigInteger serial() {
        BigInteger s;
        do {
            s = new BigInteger(127, RANDOM);
        } while (s.signum() == 0);
        return s;
    }
}
