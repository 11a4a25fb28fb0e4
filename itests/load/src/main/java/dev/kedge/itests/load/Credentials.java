package dev.kedge.itests.load;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.internal.CsrWriter;
import dev.kedge.core.tls.internal.Names;

/**
 * Each simulated node's P-256 key and client certificate, cached on disk so repeated runs are fast:
 * {@code <dir>/keys/<node>.key} (the key pair; independent of the CA, kept across runs) and
 * {@code <dir>/certs-<caHash16>/<node>.crt} (DER, signed by the cloud's CA from {@code kubeedge/casecret}).
 * The CSR carries the subject KubeEdge's edge puts in it (as {@link NodeCsr}); the CA signs it exactly as
 * CloudHub's {@code /edge.crt} does ({@link CertificateAuthority#signClientCsr(byte[], String)}).
 */
final class Credentials {
    private Credentials() {
    }

    /** One node's identity, as the load process holds it. */
    record Node(String name, PrivateKey key, X509Certificate[] chain) {
    }

    static String nodeName(int index) {
        return String.format("load-%05d", index);
    }

    static Path certDir(Path dir, String caHash) {
        return dir.resolve("certs-" + caHash.substring(0, 16));
    }

    /** Creates what is missing for nodes [from, to) with {@code threads} threads; returns {keysMade, certsMade}. */
    static int[] ensure(Path dir, CertificateAuthority ca, int from, int to, int threads) throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        Path certs = Files.createDirectories(certDir(dir, ca.caHash()));
        AtomicInteger keysMade = new AtomicInteger();
        AtomicInteger certsMade = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> jobs = new ArrayList<>();
            int chunk = Math.max(1, (to - from + threads * 8 - 1) / (threads * 8));
            for (int start = from; start < to; start += chunk) {
                int s = start;
                int e = Math.min(to, start + chunk);
                jobs.add(pool.submit(() -> {
                    for (int i = s; i < e; i++) {
                        String name = nodeName(i);
                        Path keyFile = keys.resolve(name + ".key");
                        Path certFile = certs.resolve(name + ".crt");
                        KeyPair kp;
                        if (Files.exists(keyFile)) {
                            if (Files.exists(certFile)) {
                                continue;
                            }
                            kp = readKeyPair(keyFile);
                        } else {
                            kp = EcKeys.generate();
                            writeKeyPair(keyFile, kp);
                            keysMade.incrementAndGet();
                        }
                        X509Certificate cert = ca.signClientCsr(csr(name, kp), name);
                        atomicWrite(certFile, cert.getEncoded());
                        certsMade.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new int[] {keysMade.get(), certsMade.get()};
    }

    /** Loads nodes [from, to); each chain is the node certificate alone (the server knows the CA). */
    static Node[] load(Path dir, String caHash, int from, int to) throws Exception {
        Path keys = dir.resolve("keys");
        Path certs = certDir(dir, caHash);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Node[] nodes = new Node[to - from];
        for (int i = from; i < to; i++) {
            String name = nodeName(i);
            KeyPair kp = readKeyPair(keys.resolve(name + ".key"));
            X509Certificate cert = (X509Certificate) cf.generateCertificate(
                    new ByteArrayInputStream(Files.readAllBytes(certs.resolve(name + ".crt"))));
            nodes[i - from] = new Node(name, kp.getPrivate(), new X509Certificate[] {cert});
        }
        return nodes;
    }

    /**
     * PKCS#10, subject as KubeEdge's edge writes it (C, O, L, ST, CN=system:node:<name>), for a cached key pair
     * ({@link NodeCsr} always makes a new one). Core's internal CSR writer: this program runs on a flat class path.
     */
    static byte[] csr(String name, KeyPair kp) throws Exception {
        return CsrWriter.build(List.of(
                Names.rdn(Names.C, "CN"),
                Names.rdn(Names.O, NodeCsr.NODES_GROUP),
                Names.rdn(Names.L, "Hangzhou"),
                Names.rdn(Names.ST, "Zhejiang"),
                Names.rdn(Names.CN, NodeCsr.commonName(name))), kp);
    }

    private static void writeKeyPair(Path file, KeyPair kp) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            byte[] priv = kp.getPrivate().getEncoded();
            byte[] pub = kp.getPublic().getEncoded();
            out.writeInt(priv.length);
            out.write(priv);
            out.writeInt(pub.length);
            out.write(pub);
        }
        atomicWrite(file, bytes.toByteArray());
    }

    private static KeyPair readKeyPair(Path file) throws IOException, GeneralSecurityException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            byte[] priv = in.readNBytes(in.readInt());
            byte[] pub = in.readNBytes(in.readInt());
            KeyFactory kf = KeyFactory.getInstance("EC");
            PrivateKey p = kf.generatePrivate(new PKCS8EncodedKeySpec(priv));
            PublicKey q = kf.generatePublic(new X509EncodedKeySpec(pub));
            return new KeyPair(q, p);
        }
    }

    private static void atomicWrite(Path file, byte[] data) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + Thread.currentThread().getId());
        try (OutputStream out = Files.newOutputStream(tmp)) {
            out.write(data);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
