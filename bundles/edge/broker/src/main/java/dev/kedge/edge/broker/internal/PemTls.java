package dev.kedge.edge.broker.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

import javax.net.ssl.SSLContext;

import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;

/**
 * The TLS listener's context from PEM files (the form KubeEdge's certificates come in): a certificate chain and an
 * EC key (SEC 1 or PKCS#8, read by core's {@link Pem}) or an RSA key (PKCS#8), in core's one-key manager (no key store).
 * No client certificate is asked for.
 */
final class PemTls {
    private PemTls() {
    }

    static SSLContext serverContext(Path certFile, Path keyFile) throws IOException {
        try {
            List<X509Certificate> chain = Pem.parseCertificates(Files.readString(certFile, StandardCharsets.US_ASCII));
            PrivateKey key = privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
            return TlsContexts.serverWithoutClientAuth(chain, key);
        } catch (GeneralSecurityException e) { // TlsException too
            throw new IOException("cannot load TLS certificate " + certFile + " / key " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) throws TlsException, GeneralSecurityException {
        try {
            return Pem.parsePrivateKey(pem);
        } catch (TlsException notP256) {
            byte[] der = Pem.decode(pem, Pem.PRIVATE_KEY);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }
}
