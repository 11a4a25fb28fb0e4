package dev.kedge.core.tls.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;

/** Which hosts a server certificate names, as the JDK's "HTTPS" identification decides for a private CA. */
class ServerIdentityTest {
    private static X509Certificate ipsAndNames;
    private static X509Certificate ipsOnly;

    @BeforeAll
    static void certificates() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create();
        ipsAndNames = ca.issueServerCertificate(EcKeys.generate(),
                List.of("10.0.0.5", "fd00::7", "cloud.example.com", "*.hub.example.com"), 30);
        ipsOnly = ca.issueServerCertificate(EcKeys.generate(), List.of("10.0.0.5"), 30); // CN=KubeEdge
    }

    @Test
    void anIpMustBeAnIpSan() {
        assertDoesNotThrow(() -> ServerIdentity.check("10.0.0.5", ipsAndNames));
        assertDoesNotThrow(() -> ServerIdentity.check("fd00:0:0:0:0:0:0:7", ipsAndNames));
        assertDoesNotThrow(() -> ServerIdentity.check("[fd00::7]", ipsAndNames));
        assertThrows(CertificateException.class, () -> ServerIdentity.check("10.0.0.6", ipsAndNames));
        assertThrows(CertificateException.class, () -> ServerIdentity.check("10.0.0.6", ipsOnly));
    }

    @Test
    void aNameMustBeADnsSanExactlyOrByOneWildcardLabel() {
        assertDoesNotThrow(() -> ServerIdentity.check("cloud.example.com", ipsAndNames));
        assertDoesNotThrow(() -> ServerIdentity.check("Cloud.Example.COM.", ipsAndNames));
        assertDoesNotThrow(() -> ServerIdentity.check("eu.hub.example.com", ipsAndNames));
        CertificateException e = assertThrows(CertificateException.class,
                () -> ServerIdentity.check("hub.example.com", ipsAndNames));
        assertTrue(e.getMessage().contains("hub.example.com"), e.getMessage());
        assertThrows(CertificateException.class, () -> ServerIdentity.check("a.eu.hub.example.com", ipsAndNames));
        assertThrows(CertificateException.class, () -> ServerIdentity.check("other.example.com", ipsAndNames));
        assertThrows(CertificateException.class, () -> ServerIdentity.check("kubeedge", ipsAndNames),
                "with DNS SANs the common name does not count");
        assertThrows(CertificateException.class, () -> ServerIdentity.check("", ipsAndNames));
        assertThrows(CertificateException.class, () -> ServerIdentity.check(null, ipsAndNames));
    }

    @Test
    void withoutDnsSansTheCommonNameNamesTheHost() {
        assertDoesNotThrow(() -> ServerIdentity.check("kubeedge", ipsOnly));
        assertThrows(CertificateException.class, () -> ServerIdentity.check("cloud.example.com", ipsOnly));
    }

    @Test
    void aWildcardNeedsAParentOfTwoLabels() {
        assertTrue(ServerIdentity.matches("a.example.com", "*.example.com"));
        assertFalse(ServerIdentity.matches("example.com", "*.com"));
        assertFalse(ServerIdentity.matches(".example.com", "*.example.com"));
    }
}
