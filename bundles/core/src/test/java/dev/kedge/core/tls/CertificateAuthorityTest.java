package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CA against KubeEdge's certificate shapes, judged by the openssl CLI. */
@Timeout(120)
class CertificateAuthorityTest {
    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    @TempDir
    Path dir;
    private OpenSsl openssl;

    @BeforeAll
    static void cas() throws Exception {
        ca = CertificateAuthority.create();
        otherCa = CertificateAuthority.create();
    }

    @BeforeEach
    void tools() {
        openssl = new OpenSsl(dir);
    }

    @Test
    void newCaLooksLikeKubeEdges() throws Exception {
        X509Certificate c = ca.certificate();
        assertEquals("CN=KubeEdge", c.getSubjectX500Principal().getName());
        assertEquals(c.getSubjectX500Principal(), c.getIssuerX500Principal());
        assertTrue(c.getBasicConstraints() >= 0, "CA:true");
        assertTrue(EcKeys.isP256(c.getPublicKey()));
        assertEquals(Duration.ofDays(36400), Duration.between(c.getNotBefore().toInstant(), c.getNotAfter().toInstant()));
        boolean[] ku = c.getKeyUsage(); // digitalSignature(0), keyEncipherment(2), keyCertSign(5)
        assertTrue(ku[0] && ku[2] && ku[5]);
        assertEquals(List.of(ExtKeyUsage.SERVER_AUTH.oid(), ExtKeyUsage.CLIENT_AUTH.oid()), c.getExtendedKeyUsage());

        openssl.write("ca.pem", ca.caPem());
        String text = openssl.ok("x509", "-in", "ca.pem", "-noout", "-text");
        assertTrue(text.contains("CA:TRUE"), text);
        assertTrue(text.contains("prime256v1"), text);
        assertTrue(text.contains("ecdsa-with-SHA256"), text);
        openssl.ok("verify", "-CAfile", "ca.pem", "ca.pem"); // self-signature checks out
    }

    @Test
    void caKeyIsSec1ByteForByteAsOpenSslAndGoWriteIt() throws Exception {
        openssl.write("ca.key.der", ca.caKeyDer());
        // openssl re-encodes SEC 1 with curve OID + public key, exactly Go's x509.MarshalECPrivateKey layout
        openssl.ok("ec", "-inform", "DER", "-in", "ca.key.der", "-check", "-outform", "DER", "-out", "again.der");
        assertArrayEquals(ca.caKeyDer(), openssl.readBytes("again.der"));
        assertTrue(ca.caKeyPem().startsWith("-----BEGIN EC PRIVATE KEY-----"));
    }

    @Test
    void caHashIsSha256OfTheDer() throws Exception {
        openssl.write("ca.der", ca.caDer());
        String out = openssl.ok("dgst", "-sha256", "-r", "ca.der");
        assertEquals(out.substring(0, 64), ca.caHash());
    }

    @Test
    void signedNodeCertificatePassesOpenSslVerify() throws Exception {
        NodeCsr csr = NodeCsr.generate("n1");
        X509Certificate cert = ca.signClientCsr(csr.der(), "n1");
        openssl.write("ca.pem", ca.caPem());
        openssl.write("client.pem", Pem.certificate(cert));
        assertTrue(openssl.ok("verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "client.pem")
                .contains("client.pem: OK"));

        String text = openssl.ok("x509", "-in", "client.pem", "-noout", "-text");
        // KubeEdge keeps only O and CN of the CSR subject
        assertTrue(text.contains("Subject: O = system:nodes, CN = system:node:n1"), text);
        assertTrue(text.contains("Issuer: CN = KubeEdge"), text);
        assertTrue(text.contains("TLS Web Client Authentication"), text);
        assertTrue(text.contains("Digital Signature, Key Encipherment"), text);
        assertEquals(Duration.ofDays(365),
                Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        assertEquals(csr.keyPair().getPublic(), cert.getPublicKey());

        // negative control: the same certificate does not verify under another CA
        openssl.write("other.pem", otherCa.caPem());
        assertNotEquals(0, openssl.run("verify", "-CAfile", "other.pem", "client.pem").exit());
    }

    @Test
    void requestedExtendedKeyUsagesAreHonoured() throws Exception {
        X509Certificate cert = ca.signClientCsr(NodeCsr.generate("n1").der(), "n1", 30,
                List.of(ExtKeyUsage.SERVER_AUTH, ExtKeyUsage.CLIENT_AUTH));
        openssl.write("c.pem", Pem.certificate(cert));
        String text = openssl.ok("x509", "-in", "c.pem", "-noout", "-text");
        assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
        assertEquals(Duration.ofDays(30), Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant()));
        TlsException e = assertThrows(TlsException.class,
                () -> ca.signClientCsr(NodeCsr.generate("n1").der(), "n1", 30, List.of()));
        assertTrue(e.getMessage().contains("extended key usage"), e.getMessage());
    }

    @Test
    void csrMadeByOpenSslIsSigned() throws Exception {
        openssl.ok("ecparam", "-genkey", "-name", "prime256v1", "-out", "node.key"); // with an EC PARAMETERS block
        openssl.ok("req", "-new", "-key", "node.key", "-subj", "/CN=system:node:n1/O=system:nodes", "-out", "node.csr");
        X509Certificate cert = ca.signClientCsr(openssl.read("node.csr"), "n1", 365, List.of(ExtKeyUsage.CLIENT_AUTH));
        openssl.write("ca.pem", ca.caPem());
        openssl.write("node.pem", Pem.certificate(cert));
        openssl.ok("verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "node.pem");
        // the certificate carries the key openssl generated
        assertEquals(openssl.ok("pkey", "-in", "node.key", "-pubout"), openssl.ok("x509", "-in", "node.pem", "-noout", "-pubkey"));
        // and the key file loads with our PEM reader despite the leading EC PARAMETERS block
        assertTrue(EcKeys.matches(Pem.parsePrivateKey(openssl.read("node.key")), cert.getPublicKey()));
    }

    @Test
    void csrForAnotherNodeIsRefused() throws Exception {
        TlsException e = assertThrows(TlsException.class, () -> ca.signClientCsr(NodeCsr.generate("n2").der(), "n1"));
        assertTrue(e.getMessage().contains("\"system:node:n2\"") && e.getMessage().contains("\"system:node:n1\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("kubeedge.io"), "the refusal names the legacy CN too: " + e.getMessage());
    }

    @Test
    void aV115EdgesCsrIsSignedWithTheNodesOwnIdentity() throws Exception {
        // v1.15/v1.16 certmanager.go: the same subject for every node
        openssl.ok("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "k.pem");
        openssl.ok("req", "-new", "-key", "k.pem", "-subj", "/C=CN/O=kubeEdge/L=Hangzhou/ST=Zhejiang/CN=kubeedge.io",
                "-out", "legacy.csr");
        X509Certificate cert = ca.signClientCsr(openssl.read("legacy.csr"), "n1", 365, List.of(ExtKeyUsage.CLIENT_AUTH));
        openssl.write("ca.pem", ca.caPem());
        openssl.write("legacy.pem", Pem.certificate(cert));
        openssl.ok("verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "legacy.pem");
        String subject = openssl.ok("x509", "-in", "legacy.pem", "-noout", "-subject", "-nameopt", "RFC2253");
        assertTrue(subject.contains("CN=system:node:n1") && subject.contains("O=system:nodes"), subject);
        assertTrue(!subject.contains("kubeedge.io") && !subject.contains("kubeEdge"), subject);
        // bound to n1 like any other node certificate: it cannot act as n2
        ca.verifyClientCertificate(cert, "n1");
        assertThrows(TlsException.class, () -> ca.verifyClientCertificate(cert, "n2"));
    }

    @Test
    void rsaGarbageAndForgedCsrsAreRefused() throws Exception {
        openssl.ok("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key",
                "-subj", "/CN=system:node:n1/O=system:nodes", "-out", "rsa.csr");
        TlsException e = assertThrows(TlsException.class,
                () -> ca.signClientCsr(openssl.read("rsa.csr"), "n1", 365, List.of(ExtKeyUsage.CLIENT_AUTH)));
        assertTrue(e.getMessage().contains("P-256"), e.getMessage());

        e = assertThrows(TlsException.class, () -> ca.signClientCsr("not a csr".getBytes(), "n1"));
        assertTrue(e.getMessage().contains("PKCS#10"), e.getMessage());

        byte[] forged = NodeCsr.generate("n1").der();
        forged[forged.length - 5] ^= 0x01; // inside the signature
        openssl.write("forged.der", forged);
        // openssl 3.0 exits 0 here, so judge by its verdict
        assertTrue(openssl.run("req", "-inform", "DER", "-in", "forged.der", "-noout", "-verify").output()
                .contains("verify failure"));
        e = assertThrows(TlsException.class, () -> ca.signClientCsr(forged, "n1"));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void serverCertificateCarriesSansAndServerAuth() throws Exception {
        KeyPair kp = EcKeys.generate();
        X509Certificate cert = ca.issueServerCertificate(kp, List.of("127.0.0.1", "::1", "cloud.example.com"), 3650);
        openssl.write("ca.pem", ca.caPem());
        openssl.write("server.pem", Pem.certificate(cert));
        openssl.ok("verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "server.pem");
        String text = openssl.ok("x509", "-in", "server.pem", "-noout", "-text");
        assertTrue(text.contains("Subject: O = KubeEdge, CN = KubeEdge"), text);
        assertTrue(text.contains("IP Address:127.0.0.1"), text);
        assertTrue(text.contains("IP Address:0:0:0:0:0:0:0:1"), text);
        assertTrue(text.contains("DNS:cloud.example.com"), text);
        assertTrue(text.contains("TLS Web Server Authentication"), text);
        assertTrue(openssl.ok("x509", "-in", "server.pem", "-noout", "-checkip", "127.0.0.1").contains("does match"));
        assertTrue(openssl.ok("x509", "-in", "server.pem", "-noout", "-checkhost", "cloud.example.com")
                .contains("does match"));

        TlsException e = assertThrows(TlsException.class,
                () -> ca.issueServerCertificate(kp, List.of("not a host!"), 10));
        assertTrue(e.getMessage().contains("not a host!"), e.getMessage());
        assertThrows(TlsException.class, () -> ca.issueServerCertificate(kp, List.of(), 10));
    }

    @Test
    void caRoundTripsThroughPemAndDer() throws Exception {
        CertificateAuthority again = CertificateAuthority.fromPem(ca.caPem(), ca.caKeyPem());
        assertArrayEquals(ca.caDer(), again.caDer());
        assertArrayEquals(ca.caKeyDer(), again.caKeyDer());
        assertEquals(ca.caHash(), again.caHash());
        X509Certificate cert = again.signClientCsr(NodeCsr.generate("n1").der(), "n1");
        ca.verifyClientCertificate(cert, "n1");
    }

    @Test
    void caMadeByOpenSslLoadsAndSigns() throws Exception {
        openssl.ok("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "ca.key");
        openssl.ok("req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=external-ca", "-days", "30", "-out", "ca.crt");
        CertificateAuthority ext = CertificateAuthority.fromPem(openssl.read("ca.crt"), openssl.read("ca.key"));
        openssl.write("n1.pem", Pem.certificate(ext.signClientCsr(NodeCsr.generate("n1").der(), "n1")));
        openssl.ok("verify", "-CAfile", "ca.crt", "-purpose", "sslclient", "n1.pem");
        // the key bytes are kept as stored: they are the token's HMAC key
        assertArrayEquals(Pem.privateKeyDer(openssl.read("ca.key")), ext.caKeyDer());
    }

    @Test
    void mismatchedOrNonCaMaterialIsRefused() throws Exception {
        TlsException e = assertThrows(TlsException.class,
                () -> CertificateAuthority.fromDer(ca.caDer(), otherCa.caKeyDer()));
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());

        X509Certificate leaf = ca.signClientCsr(NodeCsr.generate("n1").der(), "n1");
        e = assertThrows(TlsException.class, () -> CertificateAuthority.fromDer(leaf.getEncoded(), ca.caKeyDer()));
        assertTrue(e.getMessage().contains("not a CA"), e.getMessage());

        e = assertThrows(TlsException.class, () -> CertificateAuthority.fromDer(new byte[] {1, 2, 3}, ca.caKeyDer()));
        assertTrue(e.getMessage().contains("X.509"), e.getMessage());
    }

    @Test
    void presentedClientCertificatesAreCheckedLikeCloudHubDoes() throws Exception {
        X509Certificate n1 = ca.signClientCsr(NodeCsr.generate("n1").der(), "n1");
        ca.verifyClientCertificate(n1, "n1");

        TlsException e = assertThrows(TlsException.class, () -> ca.verifyClientCertificate(n1, "n2"));
        assertTrue(e.getMessage().contains("does not match node \"n2\""), e.getMessage());

        X509Certificate foreign = otherCa.signClientCsr(NodeCsr.generate("n1").der(), "n1");
        e = assertThrows(TlsException.class, () -> ca.verifyClientCertificate(foreign, "n1"));
        assertTrue(e.getMessage().contains("not valid under CA"), e.getMessage());

        CertificateAuthority later = CertificateAuthority.fromDer(ca.caDer(), ca.caKeyDer(),
                Clock.offset(Clock.systemUTC(), Duration.ofDays(366)));
        e = assertThrows(TlsException.class, () -> later.verifyClientCertificate(n1, "n1"));
        assertTrue(e.getMessage().contains("not valid"), e.getMessage());

        X509Certificate server = ca.issueServerCertificate(EcKeys.generate(), List.of("127.0.0.1"), 10);
        e = assertThrows(TlsException.class, () -> ca.verifyClientCertificate(server, "n1"));
        assertTrue(e.getMessage().contains("client auth"), e.getMessage());
    }
}
