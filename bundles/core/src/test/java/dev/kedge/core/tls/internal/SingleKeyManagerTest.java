package dev.kedge.core.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.KeyPair;
import java.security.Principal;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;

/** The alias choices the JDK's SunX509 manager makes, for one EC key issued by a Kedge CA. */
class SingleKeyManagerTest {
    private static CertificateAuthority ca;
    private static KeyPair key;
    private static X509Certificate cert;
    private static SingleKeyManager manager;

    @BeforeAll
    static void material() throws Exception {
        ca = CertificateAuthority.create();
        key = EcKeys.generate();
        cert = ca.issueServerCertificate(key, List.of("127.0.0.1"), 30);
        manager = new SingleKeyManager("kedge", key.getPrivate(), List.of(cert));
    }

    @Test
    void anEcKeyIsChosenForEcAndForEcSignedByEc() {
        assertEquals("kedge", manager.chooseServerAlias("EC", null, null));
        assertEquals("kedge", manager.chooseEngineServerAlias("EC_EC", new Principal[0], null));
        assertEquals("kedge", manager.chooseClientAlias(new String[] {"RSA", "EC"}, null, null));
        assertArrayEquals(new String[] {"kedge"}, manager.getClientAliases("EC", null));
    }

    @Test
    void otherKeyTypesGetNoAlias() {
        assertNull(manager.chooseServerAlias("RSA", null, null));
        assertNull(manager.chooseServerAlias("EC_RSA", null, null), "the CA signs with EC, not RSA");
        assertNull(manager.chooseClientAlias(new String[] {"RSA", "RSASSA-PSS"}, null, null));
        assertNull(manager.chooseClientAlias(null, null, null));
        assertNull(manager.getServerAliases("DSA", null));
    }

    @Test
    void aPeerNamingOnlyOtherIssuersGetsNoAlias() {
        Principal ours = ca.certificate().getSubjectX500Principal();
        Principal theirs = new X500Principal("CN=another issuer"); // every Kedge CA is CN=KubeEdge

        assertEquals("kedge", manager.chooseClientAlias(new String[] {"EC"}, new Principal[] {theirs, ours}, null));
        assertNull(manager.chooseEngineClientAlias(new String[] {"EC"}, new Principal[] {theirs}, null));
    }

    @Test
    void onlyItsAliasHasTheKeyAndChain() {
        assertSame(key.getPrivate(), manager.getPrivateKey("kedge"));
        assertArrayEquals(new X509Certificate[] {cert}, manager.getCertificateChain("kedge"));
        assertNull(manager.getPrivateKey("other"));
        assertNull(manager.getCertificateChain("other"));
        manager.getCertificateChain("kedge")[0] = null;
        assertSame(cert, manager.getCertificateChain("kedge")[0], "callers get a copy of the chain");
    }
}
