package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsException;

/** Parses a PKCS#10 request and checks its self-signature (proof that the requester holds the key). */
public final class CsrReader {

    /** What the CA takes from a CSR: the subject, the key, and the DNS/IP SANs KubeEdge copies over. */
    public record Csr(X500Name subject, PublicKey publicKey, GeneralNames sans) {
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
        JcaPKCS10CertificationRequest csr;
        try {
            csr = new JcaPKCS10CertificationRequest(der);
        } catch (IOException | RuntimeException e) {
            throw new TlsException("not a PKCS#10 certificate request: " + e.getMessage(), e);
        }
        PublicKey key = publicKey(csr.getSubjectPublicKeyInfo());
        try {
            if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
                throw new TlsException("CSR signature does not verify: the requester does not hold its key");
            }
            return new Csr(csr.getSubject(), key, sans(csr));
        } catch (OperatorCreationException | PKCSException | GeneralSecurityException | RuntimeException e) {
            if (e instanceof TlsException t) {
                throw t;
            }
            throw new TlsException("CSR cannot be verified: " + e.getMessage(), e);
        }
    }

    /** Through the JDK's KeyFactory by name: the JDK providers do not resolve key algorithms by OID. */
    private static PublicKey publicKey(SubjectPublicKeyInfo spki) throws TlsException {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        String name = X9ObjectIdentifiers.id_ecPublicKey.equals(alg) ? "EC"
                : PKCSObjectIdentifiers.rsaEncryption.equals(alg) ? "RSA" : null;
        if (name == null) {
            throw new TlsException("CSR key algorithm " + alg + " is not supported (expected EC P-256)");
        }
        try {
            return KeyFactory.getInstance(name).generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("CSR public key is unreadable: " + e.getMessage(), e);
        }
    }

    private static GeneralNames sans(JcaPKCS10CertificationRequest csr) {
        List<GeneralName> keep = new ArrayList<>();
        for (Attribute a : csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions exts = Extensions.getInstance(a.getAttrValues().getObjectAt(0));
            GeneralNames names = GeneralNames.fromExtensions(exts, Extension.subjectAlternativeName);
            if (names == null) {
                continue;
            }
            for (GeneralName n : names.getNames()) {
                if (n.getTagNo() == GeneralName.dNSName || n.getTagNo() == GeneralName.iPAddress) {
                    keep.add(n);
                }
            }
        }
        return new GeneralNames(keep.toArray(GeneralName[]::new));
    }

    private static boolean startsWithPem(byte[] b) {
        String head = new String(b, 0, Math.min(b.length, 64), StandardCharsets.US_ASCII).stripLeading();
        return head.startsWith("-----BEGIN");
    }
}
