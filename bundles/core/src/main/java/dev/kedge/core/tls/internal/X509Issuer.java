package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import dev.kedge.core.tls.ExtKeyUsage;
import dev.kedge.core.tls.TlsException;

/**
 * Builds certificates the way KubeEdge's Go code does ({@code pkg/security/certs/x509_ca.go}, {@code x509_certs.go}):
 * the same key usages, extended key usages and subject attributes; SHA256withECDSA; random serials. Signing uses the
 * JDK's EC provider, so no BouncyCastle JCA provider has to be registered in the container.
 */
public final class X509Issuer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*\\.?");

    private X509Issuer() {
    }

    /** Self-signed CA: CA:true, keyCertSign+digitalSignature+keyEncipherment, serverAuth+clientAuth, SKI. */
    public static X509Certificate selfSignedCa(KeyPair kp, String commonName, Instant from, Instant to)
            throws TlsException {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(), Date.from(from),
                    Date.from(to), name, kp.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(
                            KeyUsage.digitalSignature | KeyUsage.keyEncipherment | KeyUsage.keyCertSign))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(kp.getPublic()));
            return sign(b, kp.getPrivate());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new TlsException("cannot build the CA certificate: " + e.getMessage(), e);
        }
    }

    /**
     * A leaf signed by the CA: subject {@code O=<organizations…>, CN=<commonName>} (Go's RDN order),
     * digitalSignature+keyEncipherment, the given extended usages, optional SANs, AKI = the CA's SKI if it has one.
     */
    public static X509Certificate issueLeaf(X509Certificate ca, PrivateKey caKey, PublicKey subjectKey,
            List<String> organizations, String commonName, GeneralNames sans, List<ExtKeyUsage> usages,
            Instant from, Instant to) throws TlsException {
        X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
        organizations.forEach(o -> nb.addRDN(BCStyle.O, o));
        nb.addRDN(BCStyle.CN, commonName);
        KeyPurposeId[] purposes = usages.stream()
                .map(u -> KeyPurposeId.getInstance(new ASN1ObjectIdentifier(u.oid())))
                .toArray(KeyPurposeId[]::new);
        try {
            // the issuer name is copied from the CA's own encoding so chain building matches byte for byte
            X500Name issuer = new X509CertificateHolder(ca.getEncoded()).getSubject();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from),
                    Date.from(to), nb.build(), subjectKey)
                    .addExtension(Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
            if (sans != null && sans.getNames().length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, sans);
            }
            byte[] skiExt = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (skiExt != null) {
                byte[] keyId = SubjectKeyIdentifier.getInstance(
                        ASN1OctetString.getInstance(skiExt).getOctets()).getKeyIdentifier();
                b.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyId));
            }
            return sign(b, caKey);
        } catch (IOException | CertificateEncodingException | RuntimeException e) {
            throw new TlsException("cannot build the certificate for " + commonName + ": " + e.getMessage(), e);
        }
    }

    /** SANs from strings: IPv4/IPv6 literals become IP entries, everything else must be a DNS name. */
    public static GeneralNames parseSans(List<String> entries) throws TlsException {
        List<GeneralName> names = new ArrayList<>();
        for (String raw : entries) {
            String s = raw == null ? "" : raw.trim();
            if (IPAddress.isValid(s)) {
                names.add(new GeneralName(GeneralName.iPAddress, s)); // a literal: no DNS lookup happens
            } else if (s.length() <= 253 && DNS_NAME.matcher(s).matches()) {
                names.add(new GeneralName(GeneralName.dNSName, s));
            } else {
                throw new TlsException("SAN \"" + raw + "\" is neither an IP address nor a DNS name");
            }
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    /** The string values of every {@code type} attribute in {@code name}, in order. */
    public static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs(type)) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    // the raw string, not RFC 4514-escaped: "system:node:a,b" must compare as written
                    out.add(atv.getValue() instanceof ASN1String str ? str.getString()
                            : IETFUtils.valueToString(atv.getValue()));
                }
            }
        }
        return out;
    }

    /** The string values of every {@code type} attribute in a certificate subject or issuer. */
    public static List<String> values(X500Principal principal, ASN1ObjectIdentifier type) {
        return values(X500Name.getInstance(principal.getEncoded()), type);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws TlsException {
        try {
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException | CertificateException e) {
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
