package dev.kedge.core.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;

import java.util.Arrays;
import java.util.List;

import dev.kedge.core.tls.internal.Der;
import dev.kedge.core.tls.internal.Tlv;

/**
 * EC P-256 keys, the only key type KubeEdge generates ({@code pkg/security/certs/x509_ca.go}, {@code x509_certs.go}).
 * Private keys travel as SEC 1 DER ("EC PRIVATE KEY") because that is what Go's {@code x509.MarshalECPrivateKey}
 * writes into the {@code casecret}, the edge key file and, crucially, the join token's HMAC key.
 */
public final class EcKeys {
    /** JCA name of the P-256 curve (prime256v1 in OpenSSL). */
    public static final String CURVE = "secp256r1";
    private static final String SECP256R1_OID = "1.2.840.10045.3.1.7";
    private static final String EC_PUBLIC_KEY_OID = "1.2.840.10045.2.1";

    private static final ECParameterSpec P256 = p256();
    private static final SecureRandom RANDOM = new SecureRandom();

    private EcKeys() {
    }

    /** A fresh P-256 key pair from the JDK's own EC provider. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(CURVE), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate " + CURVE + " keys", e);
        }
    }

    /**
     * SEC 1 DER of a P-256 key pair, byte for byte what Go's {@code x509.MarshalECPrivateKey} and
     * {@code openssl ec -outform DER} produce: version 1, the 32-byte scalar, the curve OID, the public point.
     */
    public static byte[] toSec1Der(KeyPair keyPair) throws TlsException {
        requireP256(keyPair.getPublic(), "public key");
        if (!(keyPair.getPrivate() instanceof ECPrivateKey priv)) {
            throw new TlsException("private key is " + keyPair.getPrivate().getAlgorithm() + ", not EC");
        }
        try {
            // ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING (32 bytes for P-256),
            //                             parameters [0] namedCurve, publicKey [1] BIT STRING } (RFC 5915)
            byte[] point = publicPointOf(keyPair.getPublic());
            return Der.sequence(
                    Der.integer(1),
                    Der.octetString(unsigned32(priv.getS())),
                    Der.explicit(0, Der.oid(SECP256R1_OID)),
                    Der.explicit(1, Der.bitString(point)));
        } catch (IOException e) {
            throw new TlsException("cannot encode the EC private key: " + e.getMessage(), e);
        }
    }

    /** The scalar as exactly 32 big-endian bytes (BigInteger adds a sign byte or drops leading zeros). */
    private static byte[] unsigned32(BigInteger s) {
        byte[] b = s.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** Reads a P-256 private key from SEC 1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY") DER. */
    public static PrivateKey privateKeyFromDer(byte[] der) throws TlsException {
        byte[] pkcs8;
        try {
            // both formats start with an INTEGER version: 0 = PKCS#8 PrivateKeyInfo, 1 = SEC 1 ECPrivateKey
            List<Tlv> seq = sequence(der);
            BigInteger version = seq.get(0).integer();
            if (version.equals(BigInteger.ONE)) {
                Tlv params = seq.stream().filter(t -> t.tag() == (Der.CONTEXT | Der.CONSTRUCTED)).findFirst()
                        .orElseThrow(() -> new TlsException("SEC 1 private key names no curve; expected " + CURVE));
                // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { id-ecPublicKey, curve },
                //                               privateKey OCTET STRING (the SEC 1 structure) } (RFC 5208, 5915)
                Tlv curve = Tlv.parse(params.content());
                pkcs8 = Der.sequence(Der.integer(0), Der.sequence(Der.oid(EC_PUBLIC_KEY_OID), curve.encoded()),
                        Der.octetString(der));
            } else if (version.signum() == 0) {
                pkcs8 = der;
            } else {
                throw new TlsException("private key has unknown structure version " + version);
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsException("private key is neither SEC 1 nor PKCS#8: " + e.getMessage(), e);
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new TlsException("private key is not an EC key the JDK can read: " + e.getMessage(), e);
        }
        requireP256(key, "private key");
        return key;
    }

    /** Refuses anything but a P-256 EC key; {@code what} names the key in the message. */
    public static void requireP256(Key key, String what) throws TlsException {
        if (!isP256(key)) {
            String actual = key instanceof ECKey ec ? "EC with a " + ec.getParams().getCurve().getField().getFieldSize()
                    + "-bit curve" : key.getAlgorithm();
            throw new TlsException(what + " must be EC " + CURVE + " (P-256), got " + actual);
        }
    }

    /** True for EC keys on P-256. */
    public static boolean isP256(Key key) {
        if (!(key instanceof ECKey ec)) {
            return false;
        }
        ECParameterSpec p = ec.getParams();
        return p.getOrder().equals(P256.getOrder()) && p.getCurve().equals(P256.getCurve())
                && p.getGenerator().equals(P256.getGenerator());
    }

    /** True for SEC 1 ("EC PRIVATE KEY") DER, false for PKCS#8 or anything else. */
    static boolean isSec1(byte[] der) {
        try {
            return sequence(der).get(0).integer().equals(BigInteger.ONE);
        } catch (TlsException | IOException | RuntimeException e) {
            return false;
        }
    }

    /** The elements of the outer SEQUENCE of a key, at least one. */
    private static List<Tlv> sequence(byte[] der) throws TlsException {
        try {
            List<Tlv> seq = Tlv.parse(der).expect(Der.SEQUENCE, "private key").children();
            if (seq.isEmpty()) {
                throw new IOException("empty SEQUENCE");
            }
            return seq;
        } catch (IOException e) {
            throw new TlsException("private key is not DER: " + e.getMessage(), e);
        }
    }

    /** True when the private key belongs to the public key (sign and verify a random challenge). */
    static boolean matches(PrivateKey priv, PublicKey pub) {
        byte[] own = embeddedPublicPoint(priv);
        if (own != null) {
            return Arrays.equals(own, publicPoint(pub));
        }
        try {
            byte[] challenge = new byte[32];
            RANDOM.nextBytes(challenge);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(priv);
            s.update(challenge);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(challenge);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The public point a SEC 1 key carries beside its scalar ({@code publicKey [1]}, written by Kedge, Go and
     * OpenSSL), read from the key's PKCS#8 encoding; null when it has none. Comparing it with the certificate's
     * spares the sign-and-verify check two EC operations, tens of milliseconds of a cold JVM's start; a key file
     * whose point does not belong to its scalar then fails at the handshake instead of here.
     */
    private static byte[] embeddedPublicPoint(PrivateKey priv) {
        byte[] pkcs8 = priv.getEncoded();
        if (pkcs8 == null) {
            return null;
        }
        try {
            // PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING (SEC 1), ... }
            List<Tlv> info = Tlv.parse(pkcs8).expect(Der.SEQUENCE, "PKCS#8").children();
            List<Tlv> sec1 = Tlv.parse(info.get(2).expect(Der.OCTET_STRING, "privateKey").content())
                    .expect(Der.SEQUENCE, "SEC 1").children();
            for (Tlv field : sec1) {
                if (field.tag() == (Der.CONTEXT | Der.CONSTRUCTED | 1)) {
                    return Tlv.parse(field.content()).bitStringBytes();
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] publicPoint(PublicKey pub) {
        try {
            return publicPointOf(pub);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The EC point of a SubjectPublicKeyInfo: its BIT STRING. */
    private static byte[] publicPointOf(PublicKey pub) throws IOException {
        return Tlv.parse(pub.getEncoded()).sequence("SubjectPublicKeyInfo", 2, 2).get(1).bitStringBytes();
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(CURVE));
            return params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
