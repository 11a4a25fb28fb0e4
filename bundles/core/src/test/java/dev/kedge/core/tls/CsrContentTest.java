package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the CA copies from a CSR (SANs, O) and what it refuses, with CSRs made by openssl. */
@Timeout(120)
class CsrContentTest {
    private static CertificateAuthority ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void ca() throws Exception {
        ca = CertificateAuthority.create();
    }

    @Test
    void dnsAndIpSansAreCopiedOtherKindsDropped() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        openssl.ok("ecparam", "-genkey", "-name", "prime256v1", "-noout", "-out", "k.pem");
        openssl.ok("req", "-new", "-key", "k.pem", "-subj", "/O=system:nodes/O=extra/CN=system:node:n1",
                "-addext", "subjectAltName=DNS:n1.example.com,email:a@b.c,IP:10.1.2.3,URI:https://x.y,IP:fd00::7",
                "-addext", "keyUsage=digitalSignature", "-out", "n1.csr");
        X509Certificate cert = ca.signClientCsr(openssl.read("n1.csr"), "n1", 10, List.of(ExtKeyUsage.CLIENT_AUTH));
        Collection<List<?>> sans = cert.getSubjectAlternativeNames();
        assertEquals(List.of(List.of(2, "n1.example.com"), List.of(7, "10.1.2.3"), List.of(7, "fd00:0:0:0:0:0:0:7")),
                List.copyOf(sans));
        assertEquals("CN=system:node:n1,O=extra,O=system:nodes", cert.getSubjectX500Principal().getName());
        // the CSR's own keyUsage is not copied: the CA decides (digitalSignature + keyEncipherment)
        boolean[] ku = cert.getKeyUsage();
        assertTrue(ku[0] && ku[2] && !ku[5]);
        openssl.write("ca.pem", ca.caPem());
        openssl.write("n1.pem", Pem.certificate(cert));
        openssl.ok("verify", "-CAfile", "ca.pem", "-purpose", "sslclient", "n1.pem");
    }

    @Test
    void csrWithoutSansGivesCertificateWithoutSanExtension() throws Exception {
        X509Certificate cert = ca.signClientCsr(NodeCsr.generate("n1").der(), "n1");
        assertNull(cert.getSubjectAlternativeNames());
        assertNull(cert.getExtensionValue("2.5.29.17"));
        assertEquals(-1, cert.getBasicConstraints());
        assertFalse(cert.getCriticalExtensionOIDs().contains("2.5.29.19"));
        // critical: only keyUsage, as in KubeEdge's certificates
        assertEquals(java.util.Set.of("2.5.29.15"), cert.getCriticalExtensionOIDs());
        assertEquals(cert.getIssuerX500Principal(), ca.certificate().getSubjectX500Principal());
        assertTrue(cert.getSerialNumber().signum() > 0 && cert.getSerialNumber().bitLength() <= 127);
    }

    @Test
    void truncatedOrTamperedCsrsAreRefused() throws Exception {
        byte[] der = NodeCsr.generate("n1").der();
        TlsException e = assertThrows(TlsException.class,
                () -> ca.signClientCsr(java.util.Arrays.copyOf(der, der.length - 1), "n1"));
        assertTrue(e.getMessage().contains("PKCS#10"), e.getMessage());
        byte[] renamed = der.clone(); // inside the subject ("...node:n1" -> "...node:n2"): the signature breaks
        int at = new String(renamed, java.nio.charset.StandardCharsets.ISO_8859_1).indexOf("system:node:n1");
        renamed[at + 13] = '2';
        e = assertThrows(TlsException.class, () -> ca.signClientCsr(renamed, "n2"));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }
}
