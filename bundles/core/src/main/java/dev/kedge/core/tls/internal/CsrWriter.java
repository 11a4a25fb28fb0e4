package dev.kedge.core.tls.internal;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.List;

/** Builds a PKCS#10 request (RFC 2986) signed with SHA256withECDSA by the key it asks a certificate for. */
public final class CsrWriter {
    private CsrWriter() {
    }

    /** The CSR DER: version 0, {@code subject}, the public key, an empty attribute set, the signature. */
    public static byte[] build(List<Names.Rdn> subject, KeyPair keyPair) throws GeneralSecurityException {
        byte[] info = Der.sequence(
                Der.integer(0),
                Names.encode(subject),
                keyPair.getPublic().getEncoded(), // SubjectPublicKeyInfo
                Der.implicitConstructed(0)); // attributes [0]: present and empty, as most encoders write it
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(keyPair.getPrivate());
        s.update(info);
        return Der.sequence(info, X509Issuer.algorithm(), Der.bitString(s.sign()));
    }
}
