package dev.kedge.edge.broker.internal;

import java.nio.file.Path;

import javax.net.ssl.SSLException;

import io.moquette.broker.ISslContextCreator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

/** The TLS listener's context from PEM files (the form KubeEdge's certificates come in), JDK provider. */
final class PemSslContextCreator implements ISslContextCreator {
    private final Path certFile;
    private final Path keyFile;

    PemSslContextCreator(Path certFile, Path keyFile) {
        this.certFile = certFile;
        this.keyFile = keyFile;
    }

    @Override
    public SslContext initSSLContext() {
        try {
            return SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile()).sslProvider(SslProvider.JDK).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load TLS certificate " + certFile + " / key " + keyFile + ": "
                    + e.getMessage(), e);
        }
    }
}
