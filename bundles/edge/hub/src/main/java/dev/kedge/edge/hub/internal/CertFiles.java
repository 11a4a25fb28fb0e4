package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Set;

import javax.net.ssl.SSLContext;

import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;

/**
 * The node's certificate files, with KubeEdge's names: {@code rootCA.crt} (the pinned CloudHub CA),
 * {@code server.crt} and {@code server.key} (the node's client certificate and EC key). Written atomically; the
 * key with mode 0600 from the moment it exists.
 */
final class CertFiles {
    static final String CA = "rootCA.crt";
    static final String CERT = "server.crt";
    static final String KEY = "server.key";

    private final Path dir;

    CertFiles(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    Path ca() {
        return dir.resolve(CA);
    }

    Path cert() {
        return dir.resolve(CERT);
    }

    Path key() {
        return dir.resolve(KEY);
    }

    /** All three files are there (KubeEdge bootstraps when its cert/key pair is missing). */
    boolean complete() {
        return Files.isRegularFile(ca()) && Files.isRegularFile(cert()) && Files.isRegularFile(key());
    }

    /** A stamp that changes whenever one of the files is replaced: the TLS material must then be reloaded. */
    String stamp() throws IOException {
        return Files.getLastModifiedTime(ca()) + "|" + Files.getLastModifiedTime(cert()) + "|"
                + Files.getLastModifiedTime(key()) + "|" + Files.size(cert());
    }

    /** sha256 of the saved CA's DER: compared with a new token's pin to tell a re-join to another cloud. */
    String caHash() throws IOException, TlsException {
        return JoinToken.caHash(Pem.decode(read(ca()), Pem.CERTIFICATE));
    }

    /** Client context: presents server.crt/server.key, trusts rootCA.crt only. */
    SSLContext clientContext() throws IOException, TlsException {
        X509Certificate ca = Pem.parseCertificate(read(ca()));
        X509Certificate cert = Pem.parseCertificate(read(cert()));
        PrivateKey key = Pem.parsePrivateKey(read(key()));
        return TlsContexts.client(cert, key, ca);
    }

    void saveCa(byte[] caDer) throws IOException {
        write(ca(), Pem.encode(Pem.CERTIFICATE, caDer), false);
    }

    /** Key first: a certificate on disk always has its key. */
    void saveNode(byte[] keySec1Der, byte[] certDer) throws IOException {
        write(key(), Pem.encode(Pem.EC_PRIVATE_KEY, keySec1Der), true);
        write(cert(), Pem.encode(Pem.CERTIFICATE, certDer), false);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.US_ASCII);
    }

    private void write(Path target, String pem, boolean secret) throws IOException {
        Files.createDirectories(dir);
        Path tmp;
        if (posix()) {
            Set<PosixFilePermission> mode = PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--");
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(mode);
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp", attr);
            Files.setPosixFilePermissions(tmp, mode); // the umask may have narrowed the public ones
        } else {
            tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        }
        try {
            Files.writeString(tmp, pem, StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private boolean posix() {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
