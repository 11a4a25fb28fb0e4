package dev.kedge.edge.eventbus.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import javax.net.SocketFactory;

import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;

/** The TLS socket factory for the external broker from KubeEdge's PEM files (eventBusTLS). */
final class TlsFactory {
    private TlsFactory() {
    }

    /** Trusts the CA alone (brokers on a gateway are dialled by IP); presents the client certificate. */
    static SocketFactory of(EventBusSettings.TlsFiles files) {
        try {
            X509Certificate ca = Pem.parseCertificate(Files.readString(files.ca()));
            X509Certificate cert = Pem.parseCertificate(Files.readString(files.cert()));
            PrivateKey key = Pem.parsePrivateKey(Files.readString(files.key()));
            return TlsContexts.client(cert, key, ca, false).getSocketFactory();
        } catch (IOException | TlsException e) {
            throw new IllegalArgumentException("TLS files " + files + ": " + e.getMessage(), e);
        }
    }
}
