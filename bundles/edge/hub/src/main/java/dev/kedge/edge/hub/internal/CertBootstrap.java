package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.Arrays;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.NodeCsr;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.core.tls.TlsException;

/**
 * KubeEdge's certificate bootstrap ({@code edge/pkg/edgehub/certificate/certmanager.go}): fetch {@code /ca.crt}
 * unverified, pin it with the token's first segment, save it; make a P-256 key and a CSR for
 * {@code system:node:<nodeName>}; {@code GET /edge.crt} with the CSR (DER, as KubeEdge sends it) as body,
 * {@code Authorization: Bearer <jwt>} and {@code NodeName}, over TLS verified against the pinned CA; save the
 * certificate and key.
 */
final class CertBootstrap {
    private static final Logger LOG = LoggerFactory.getLogger(CertBootstrap.class);
    /** KubeEdge's {@code MaxRespBodyLength}-style bound: a certificate is a few hundred bytes. */
    static final int MAX_BODY = 1 << 20;

    private final HubSettings settings;
    private final CertFiles files;

    CertBootstrap(HubSettings settings, CertFiles files) {
        this.settings = settings;
        this.files = files;
    }

    void run() throws LinkFailure, InterruptedException {
        JoinToken.Parts token;
        try {
            token = JoinToken.parse(settings.token());
        } catch (TlsException e) {
            throw new LinkFailure("join token is malformed: " + e.getMessage());
        }
        URI caUrl = settings.httpServer().resolve("/ca.crt");
        byte[] caDer = get(unverifiedClient(), caUrl, null, null);
        String actual = JoinToken.caHash(caDer);
        if (!actual.equals(token.caHash())) {
            throw new LinkFailure("CA certificate from " + caUrl + " has sha256 " + actual + " but the join token pins "
                    + token.caHash() + ": the token belongs to another cloud, or someone is in between;"
                    + " nothing was saved");
        }
        X509Certificate ca = certificate(caDer, "the CA from " + caUrl);
        try {
            files.saveCa(caDer);
            LOG.info("CloudHub CA {} pinned and saved to {}", ca.getSubjectX500Principal(), files.ca());
            NodeCsr csr = NodeCsr.generate(settings.nodeName());
            URI certUrl = settings.httpServer().resolve("/edge.crt");
            byte[] certDer = get(pinnedClient(ca), certUrl, csr.der(), token.jwt());
            X509Certificate cert = certificate(certDer, "the node certificate from " + certUrl);
            if (!Arrays.equals(cert.getPublicKey().getEncoded(), csr.keyPair().getPublic().getEncoded())) {
                throw new LinkFailure("the certificate from " + certUrl + " is not for the key this node asked for");
            }
            cert.verify(ca.getPublicKey());
            files.saveNode(csr.privateKeySec1Der(), certDer);
            LOG.info("node certificate {} (valid until {}) saved to {}", cert.getSubjectX500Principal(),
                    cert.getNotAfter().toInstant(), files.cert());
        } catch (IOException e) {
            throw new LinkFailure("cannot write the certificates to " + files.dir() + ": " + e, e);
        } catch (GeneralSecurityException e) {
            throw new LinkFailure("certificate bootstrap failed: " + e.getMessage(), e);
        }
    }

    private HttpClient unverifiedClient() throws LinkFailure {
        try {
            return client(FirstContactTls.context(), FirstContactTls.parameters());
        } catch (GeneralSecurityException e) {
            throw new LinkFailure("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private HttpClient pinnedClient(X509Certificate ca) throws TlsException {
        SSLContext ctx = TlsContexts.client(null, null, ca);
        return client(ctx, TlsContexts.clientParameters(true));
    }

    private HttpClient client(SSLContext ctx, SSLParameters params) {
        return HttpClient.newBuilder().sslContext(ctx).sslParameters(params).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.handshakeTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** GET, with a body and the token headers for /edge.crt; the 200 body, bounded, or a failure naming the URL. */
    private byte[] get(HttpClient client, URI url, byte[] body, String jwt) throws LinkFailure, InterruptedException {
        HttpRequest.Builder rq = HttpRequest.newBuilder(url).timeout(settings.handshakeTimeout());
        if (body != null) {
            rq.method("GET", HttpRequest.BodyPublishers.ofByteArray(body))
                    .header("Authorization", "Bearer " + jwt)
                    .header("NodeName", settings.nodeName());
        } else {
            rq.GET();
        }
        try {
            HttpResponse<InputStream> rs = client.send(rq.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] content;
            try (InputStream in = rs.body()) {
                content = in.readNBytes(MAX_BODY + 1);
            }
            if (content.length > MAX_BODY) {
                throw new LinkFailure(url + " answered with more than " + MAX_BODY + " bytes");
            }
            if (rs.statusCode() != 200) {
                String text = new String(content, 0, Math.min(content.length, 300), StandardCharsets.UTF_8).strip();
                throw new LinkFailure(url + " answered HTTP " + rs.statusCode() + (text.isEmpty() ? "" : ": " + text));
            }
            return content;
        } catch (IOException e) {
            throw new LinkFailure("cannot fetch " + url + ": " + LinkFailure.explain(e), e);
        }
    }

    private static X509Certificate certificate(byte[] der, String what) throws LinkFailure {
        try {
            return Pem.certificateFromDer(der);
        } catch (TlsException e) {
            throw new LinkFailure(what + " is not a DER certificate: " + e.getMessage());
        }
    }
}
