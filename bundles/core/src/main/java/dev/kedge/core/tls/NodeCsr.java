package dev.kedge.core.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;

import dev.kedge.core.tls.internal.CsrWriter;
import dev.kedge.core.tls.internal.Names;

/**
 * An edge node's fresh P-256 key and its PKCS#10 request, with the subject KubeEdge's edge puts in it
 * ({@code edge/pkg/edgehub/certificate/certmanager.go}, {@code GetEdgeCert}):
 * {@code C=CN, O=system:nodes, L=Hangzhou, ST=Zhejiang, CN=system:node:<nodeName>} (RDNs in Go's order).
 * KubeEdge sends {@link #der()} — raw DER, not PEM — as the body of {@code GET /edge.crt}.
 */
public final class NodeCsr {
    /** KubeEdge's (and Kubernetes') node user prefix. */
    public static final String CN_PREFIX = "system:node:";
    /**
     * The CN a v1.15 or v1.16 edge puts in its CSR for every node ({@code O=kubeEdge}); the CA accepts it and issues
     * {@code system:node:<NodeName header>} instead (those edges do not check the CN).
     */
    public static final String LEGACY_CN = "kubeedge.io";
    /** KubeEdge's (and Kubernetes') node group. */
    public static final String NODES_GROUP = "system:nodes";

    private final String nodeName;
    private final KeyPair keyPair;
    private final byte[] der;

    private NodeCsr(String nodeName, KeyPair keyPair, byte[] der) {
        this.nodeName = nodeName;
        this.keyPair = keyPair;
        this.der = der;
    }

    /** A new key pair and a CSR signed with it for {@code nodeName}. */
    public static NodeCsr generate(String nodeName) throws TlsException {
        requireNodeName(nodeName);
        KeyPair kp = EcKeys.generate();
        try {
            byte[] der = CsrWriter.build(List.of(
                    Names.rdn(Names.C, "CN"),
                    Names.rdn(Names.O, NODES_GROUP),
                    Names.rdn(Names.L, "Hangzhou"),
                    Names.rdn(Names.ST, "Zhejiang"),
                    Names.rdn(Names.CN, commonName(nodeName))), kp);
            return new NodeCsr(nodeName, kp, der);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new TlsException("cannot build the CSR for node " + nodeName + ": " + e.getMessage(), e);
        }
    }

    /** {@code system:node:<nodeName>}, the only CN the CA signs for that node. */
    public static String commonName(String nodeName) {
        return CN_PREFIX + nodeName;
    }

    static void requireNodeName(String nodeName) throws TlsException {
        if (nodeName == null || nodeName.isBlank()) {
            throw new TlsException("node name is empty");
        }
    }

    public String nodeName() {
        return nodeName;
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    /** The CSR as DER (KubeEdge's request body). */
    public byte[] der() {
        return der.clone();
    }

    /** The CSR as "CERTIFICATE REQUEST" PEM. */
    public String pem() {
        return Pem.csr(der);
    }

    /** The private key as SEC 1 DER, the form KubeEdge saves the edge key in ("EC PRIVATE KEY"). */
    public byte[] privateKeySec1Der() throws TlsException {
        return EcKeys.toSec1Der(keyPair);
    }
}
