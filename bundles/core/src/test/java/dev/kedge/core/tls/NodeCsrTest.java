package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The edge's CSR, judged by openssl. */
@Timeout(60)
class NodeCsrTest {
    @TempDir
    Path dir;

    @Test
    void csrVerifiesWithOpenSslAndCarriesKubeEdgesSubject() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        NodeCsr csr = NodeCsr.generate("edge-node-1");
        openssl.write("csr.pem", csr.pem());
        String out = openssl.ok("req", "-in", "csr.pem", "-noout", "-verify", "-text");
        assertTrue(out.contains("verify OK"), out);
        // Go's RDN order: C, O, L, ST, CN
        assertTrue(out.contains("Subject: C = CN, O = system:nodes, L = Hangzhou, ST = Zhejiang, CN = system:node:edge-node-1"),
                out);
        assertTrue(out.contains("prime256v1") && out.contains("ecdsa-with-SHA256"), out);

        // the DER form is what goes on the wire; openssl reads it too
        openssl.write("csr.der", csr.der());
        openssl.ok("req", "-inform", "DER", "-in", "csr.der", "-noout", "-verify");
        assertArrayEquals(csr.der(), Pem.parseCsr(csr.pem()));
    }

    @Test
    void privateKeyIsSec1AndMatches() throws Exception {
        OpenSsl openssl = new OpenSsl(dir);
        NodeCsr csr = NodeCsr.generate("n1");
        openssl.write("k.pem", Pem.encode(Pem.EC_PRIVATE_KEY, csr.privateKeySec1Der()));
        openssl.write("csr.pem", csr.pem());
        // the public key in the CSR is the one derived from the saved private key
        assertEquals(openssl.ok("pkey", "-in", "k.pem", "-pubout"),
                openssl.ok("req", "-in", "csr.pem", "-noout", "-pubkey"));
    }

    @Test
    void emptyNodeNameIsRefused() {
        assertThrows(TlsException.class, () -> NodeCsr.generate(" "));
        assertThrows(TlsException.class, () -> NodeCsr.generate(null));
    }
}
