package dev.kedge.cloud.hub.internal;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.ExtKeyUsage;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.TlsException;

/**
 * KubeEdge's HTTPS service on 10002: {@code GET /ca.crt} (the CA, DER) and {@code GET /edge.crt} (signs the CSR in
 * the body (DER or PEM) for {@code NodeName}, authorised by {@code Authorization: Bearer <jwt>} or — rotation — by the node's
 * current client certificate). Every refusal says why and is counted.
 */
final class CertificateHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateHandler.class);
    private static final int MAX_CSR_BYTES = 64 * 1024;

    final LongAdder issued = new LongAdder();
    final LongAdder refused = new LongAdder();
    private final CertificateAuthority ca;
    private final int validityDays;
    private final Clock clock;

    CertificateHandler(CertificateAuthority ca, int validityDays, Clock clock) {
        this.ca = ca;
        this.validityDays = validityDays;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!"GET".equals(request.getMethod()) && !"POST".equals(request.getMethod())) {
            return refuse(request, response, callback, 405, "method not allowed");
        }
        switch (path) {
            case "/ca.crt" -> {
                send(response, callback, ca.caDer());
                return true;
            }
            case "/edge.crt" -> {
                return signEdgeCertificate(request, response, callback);
            }
            default -> {
                return refuse(request, response, callback, 404, "no such resource: " + path);
            }
        }
    }

    private boolean signEdgeCertificate(Request request, Response response, Callback callback) throws Exception {
        String node = request.getHeaders().get("NodeName");
        if (node == null || node.isBlank()) {
            return refuse(request, response, callback, 400, "NodeName header missing");
        }
        if (request.getLength() > MAX_CSR_BYTES) {
            return refuse(request, response, callback, 413, "CSR larger than " + MAX_CSR_BYTES + " bytes");
        }
        String authError = authorise(request, node);
        if (authError != null) {
            return refuse(request, response, callback, 401, authError);
        }
        // KubeEdge's edge sends the CSR as DER; PEM is accepted too
        ByteBuffer body = Content.Source.asByteBuffer(request);
        byte[] csr = new byte[body.remaining()];
        body.get(csr);
        try {
            List<ExtKeyUsage> usages = ExtKeyUsage.parseHeader(request.getHeaders().get("ExtKeyUsages"));
            X509Certificate cert = ca.signClientCsr(csr, node, validityDays, usages);
            issued.increment();
            LOG.info("signed the certificate of edge node {} ({} days)", node, validityDays);
            send(response, callback, cert.getEncoded());
            return true;
        } catch (TlsException e) {
            return refuse(request, response, callback, 400, e.getMessage());
        }
    }

    /** Null when allowed; else the reason. Rotation: a valid client certificate of this node needs no token. */
    private String authorise(Request request, String node) {
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE) instanceof EndPoint.SslSessionData tls
                && tls.peerCertificates() != null && tls.peerCertificates().length > 0) {
            try {
                ca.verifyClientCertificate(tls.peerCertificates()[0], node);
                return null;
            } catch (TlsException e) {
                return "client certificate not valid for node " + node + ": " + e.getMessage();
            }
        }
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth == null || !auth.startsWith("Bearer ")) {
            return "Authorization: Bearer <token> missing";
        }
        JoinToken.Verification v = JoinToken.verify(auth.substring(7).trim(), ca.caKeyDer(), clock); // the JWT part
        return v.ok() ? null : "join token refused: " + v.message();
    }

    private boolean refuse(Request request, Response response, Callback callback, int status, String reason) {
        refused.increment();
        LOG.warn("{} {} from {} refused ({}): {}", request.getMethod(), Request.getPathInContext(request),
                Request.getRemoteAddr(request), status, reason);
        Response.writeError(request, response, callback, status, reason);
        return true;
    }

    private static void send(Response response, Callback callback, byte[] der) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.write(true, ByteBuffer.wrap(der), callback);
    }
}
