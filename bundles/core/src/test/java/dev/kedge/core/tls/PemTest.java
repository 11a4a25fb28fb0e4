package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.util.List;

import org.junit.jupiter.api.Test;

/** PEM and key encodings. */
class PemTest {

    @Test
    void certificatesRoundTripSinglyAndAsBundle() throws Exception {
        CertificateAuthority a = CertificateAuthority.create();
        CertificateAuthority b = CertificateAuthority.create();
        assertEquals(a.certificate(), Pem.parseCertificate(a.caPem()));
        assertEquals(List.of(a.certificate(), b.certificate()), Pem.parseCertificates(a.caPem() + "\n" + b.caPem()));
        assertEquals(a.certificate(), Pem.certificateFromDer(a.caDer()));
    }

    @Test
    void ecKeysReadFromSec1AndPkcs8() throws Exception {
        KeyPair kp = EcKeys.generate();
        PrivateKey fromPkcs8 = Pem.parsePrivateKey(Pem.privateKey(kp.getPrivate()));
        PrivateKey fromSec1 = Pem.parsePrivateKey(Pem.encode(Pem.EC_PRIVATE_KEY, EcKeys.toSec1Der(kp)));
        assertArrayEquals(kp.getPrivate().getEncoded(), fromPkcs8.getEncoded());
        assertTrue(EcKeys.matches(fromSec1, kp.getPublic()));
    }

    @Test
    void aKeyIsMatchedWithItsCertificateByTheSec1PointOrElseBySigning() throws Exception {
        KeyPair kp = EcKeys.generate();
        KeyPair other = EcKeys.generate();
        PrivateKey fromSec1 = Pem.parsePrivateKey(Pem.encode(Pem.EC_PRIVATE_KEY, EcKeys.toSec1Der(kp)));

        assertTrue(EcKeys.matches(fromSec1, kp.getPublic()));
        assertFalse(EcKeys.matches(fromSec1, other.getPublic()));
        // the file's own point decides: the right scalar beside another key's point no longer matches its own key
        PrivateKey wrongPoint = Pem.parsePrivateKey(Pem.encode(Pem.EC_PRIVATE_KEY,
                EcKeys.toSec1Der(new KeyPair(other.getPublic(), kp.getPrivate()))));
        assertFalse(EcKeys.matches(wrongPoint, kp.getPublic()));
        // PKCS#8 without a point: checked by signing
        assertTrue(EcKeys.matches(kp.getPrivate(), kp.getPublic()));
        assertFalse(EcKeys.matches(kp.getPrivate(), other.getPublic()));
    }

    @Test
    void malformedInputGivesClearErrors() {
        TlsException e = assertThrows(TlsException.class, () -> Pem.parseCertificate("hello"));
        assertTrue(e.getMessage().contains("CERTIFICATE"), e.getMessage());
        e = assertThrows(TlsException.class,
                () -> Pem.parseCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
        assertTrue(e.getMessage().contains("X.509"), e.getMessage());
        e = assertThrows(TlsException.class, () -> EcKeys.privateKeyFromDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}));
        assertTrue(e.getMessage().contains("private key"), e.getMessage());
        assertThrows(TlsException.class, () -> Pem.parsePrivateKey(null));
    }

    @Test
    void onlyP256IsAccepted() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();
        TlsException e = assertThrows(TlsException.class, () -> EcKeys.toSec1Der(p384));
        assertTrue(e.getMessage().contains("P-256") && e.getMessage().contains("384"), e.getMessage());
        assertThrows(TlsException.class, () -> Pem.parsePrivateKey(Pem.privateKey(p384.getPrivate())));
    }

    @Test
    void extKeyUsagesHeaderUsesGoNumbers() throws Exception {
        assertEquals(List.of(ExtKeyUsage.CLIENT_AUTH), ExtKeyUsage.parseHeader(null));
        assertEquals(List.of(ExtKeyUsage.CLIENT_AUTH), ExtKeyUsage.parseHeader(""));
        assertEquals(List.of(ExtKeyUsage.SERVER_AUTH, ExtKeyUsage.CLIENT_AUTH), ExtKeyUsage.parseHeader("[1,2]"));
        assertEquals(List.of(), ExtKeyUsage.parseHeader("[]")); // refused later: the CA needs at least one
        assertThrows(TlsException.class, () -> ExtKeyUsage.parseHeader("[42]"));
        assertThrows(TlsException.class, () -> ExtKeyUsage.parseHeader("[\"ClientAuth\"]"));
        assertThrows(TlsException.class, () -> ExtKeyUsage.parseHeader("{"));
    }
}
