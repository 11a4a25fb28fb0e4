package dev.kedge.core.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import dev.kedge.core.tls.internal.CsrReader;
import dev.kedge.core.tls.internal.Names;
import dev.kedge.core.tls.internal.Sans;
import dev.kedge.core.tls.internal.X509Issuer;

/**
 * CloudHub's CA, KubeEdge style ({@code pkg/security/certs/x509_ca.go}, {@code x509_certs.go},
 * {@code cloud/pkg/cloudhub/servers/httpserver/pre_server.go}): a P-256 key and a self-signed {@code CN=KubeEdge}
 * certificate; it signs node CSRs ({@code GET /edge.crt}) and CloudHub's own server certificate.
 * <p>The key is kept as the exact DER it was loaded from (KubeEdge's {@code cakeydata}: SEC 1), because those bytes
 * are the join token's HMAC key. Immutable and thread-safe.
 */
public final class CertificateAuthority {
    /** KubeEdge's {@code constants.ProjectName}: CN of the CA, CN and O of the CloudCore server certificate. */
    public static final String COMMON_NAME = "KubeEdge";
    /** KubeEdge's "year100" (364 × 100 days), used for the CA and the CloudCore server certificate. */
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(364L * 100);
    /** KubeEdge's {@code edgeCertSigningDuration} default, in days. */
    public static final int DEFAULT_CLIENT_CERT_DAYS = 365;

    private final X509Certificate certificate;
    private final byte[] caDer;
    private final PrivateKey key;
    private final byte[] keyDer;
    private final Clock clock;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, byte[] keyDer, Clock clock)
            throws TlsException {
        this.certificate = certificate;
        this.key = key;
        this.keyDer = keyDer.clone();
        this.clock = clock;
        try {
            this.caDer = certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot encode the CA certificate", e);
        }
    }

    /** A new CA valid from now for {@code validity}; the key is stored as SEC 1 DER, as KubeEdge does. */
    public static CertificateAuthority create(Duration validity, Clock clock) throws TlsException {
        if (validity.isNegative() || validity.isZero()) {
            throw new TlsException("CA validity must be positive, got " + validity);
        }
        Instant from = now(clock);
        KeyPair kp = EcKeys.generate();
        X509Certificate cert = X509Issuer.selfSignedCa(kp, COMMON_NAME, from, from.plus(validity));
        return new CertificateAuthority(cert, kp.getPrivate(), EcKeys.toSec1Der(kp), clock);
    }

    /** A new CA valid for {@code validityYears} calendar years (UTC). */
    public static CertificateAuthority create(int validityYears, Clock clock) throws TlsException {
        if (validityYears <= 0) {
            throw new TlsException("CA validity must be at least one year, got " + validityYears);
        }
        Instant from = now(clock);
        Instant to = from.atZone(ZoneOffset.UTC).plusYears(validityYears).toInstant();
        return create(Duration.between(from, to), clock);
    }

    /** A new CA with KubeEdge's validity, on the system clock. */
    public static CertificateAuthority create() throws TlsException {
        return create(DEFAULT_VALIDITY, Clock.systemUTC());
    }

    /** Loads {@code cadata} + {@code cakeydata} (DER; the key as SEC 1 or PKCS#8), e.g. from KubeEdge's {@code casecret}. */
    public static CertificateAuthority fromDer(byte[] caDer, byte[] caKeyDer, Clock clock) throws TlsException {
        X509Certificate cert = Pem.certificateFromDer(caDer);
        if (cert.getBasicConstraints() < 0) {
            throw new TlsException("certificate " + cert.getSubjectX500Principal() + " is not a CA (no CA:true)");
        }
        EcKeys.requireP256(cert.getPublicKey(), "CA certificate key");
        PrivateKey key = EcKeys.privateKeyFromDer(caKeyDer);
        if (!EcKeys.matches(key, cert.getPublicKey())) {
            throw new TlsException("CA private key does not belong to CA certificate " + cert.getSubjectX500Principal());
        }
        return new CertificateAuthority(cert, key, caKeyDer, clock);
    }

    public static CertificateAuthority fromDer(byte[] caDer, byte[] caKeyDer) throws TlsException {
        return fromDer(caDer, caKeyDer, Clock.systemUTC());
    }

    /** Loads PEM files such as KubeEdge's {@code rootCA.crt} and {@code rootCA.key}. */
    public static CertificateAuthority fromPem(String caPem, String caKeyPem, Clock clock) throws TlsException {
        return fromDer(Pem.decode(caPem, Pem.CERTIFICATE), Pem.privateKeyDer(caKeyPem), clock);
    }

    public static CertificateAuthority fromPem(String caPem, String caKeyPem) throws TlsException {
        return fromPem(caPem, caKeyPem, Clock.systemUTC());
    }

    /**
     * Signs an edge node's CSR into a client certificate, as {@code GET /edge.crt} does: subject {@code O, CN} taken
     * from the CSR (KubeEdge drops C/ST/L), DNS/IP SANs copied, {@code validityDays} from now.
     * Stricter than KubeEdge: the CN must be {@code system:node:<nodeName>} and the key P-256.
     *
     * @param csr DER (what KubeEdge sends) or PEM bytes
     * @param usages extended key usages; KubeEdge's default is {@code [CLIENT_AUTH]}
     */
    public X509Certificate signClientCsr(byte[] csr, String nodeName, int validityDays, List<ExtKeyUsage> usages)
            throws TlsException {
        NodeCsr.requireNodeName(nodeName);
        requireDays(validityDays);
        if (usages == null || usages.isEmpty()) {
            throw new TlsException("at least one extended key usage is required");
        }
        CsrReader.Csr req = CsrReader.read(csr);
        String expected = NodeCsr.commonName(nodeName);
        List<String> cns = values(req.subject(), Names.CN);
        boolean legacy = cns.size() == 1 && cns.get(0).equals(NodeCsr.LEGACY_CN);
        if (!legacy && (cns.size() != 1 || !cns.get(0).equals(expected))) {
            throw new TlsException("CSR subject CN is " + (cns.isEmpty() ? "missing" : "\"" + String.join("\", \"", cns)
                    + "\"") + " but the request is for node \"" + nodeName + "\" (expected CN \"" + expected
                    + "\", or \"" + NodeCsr.LEGACY_CN + "\" from a v1.15/v1.16 edge)");
        }
        EcKeys.requireP256(req.publicKey(), "CSR public key");
        Instant from = now(clock);
        // a v1.15/v1.16 edge asks for the same subject on every node and never reads it back: it gets the node's own
        // identity, so its certificate is bound to the node exactly like a current edge's
        List<String> organisations = legacy ? List.of(NodeCsr.NODES_GROUP) : values(req.subject(), Names.O);
        return X509Issuer.issueLeaf(certificate, key, req.publicKey(), organisations, expected, req.sans(), usages, from,
                from.plus(Duration.ofDays(validityDays)));
    }

    /** {@link #signClientCsr(byte[], String, int, List)} from "CERTIFICATE REQUEST" PEM text. */
    public X509Certificate signClientCsr(String csrPem, String nodeName, int validityDays, List<ExtKeyUsage> usages)
            throws TlsException {
        return signClientCsr(Pem.parseCsr(csrPem), nodeName, validityDays, usages);
    }

    /** With KubeEdge's defaults: 365 days, client auth. */
    public X509Certificate signClientCsr(byte[] csr, String nodeName) throws TlsException {
        return signClientCsr(csr, nodeName, DEFAULT_CLIENT_CERT_DAYS, List.of(ExtKeyUsage.CLIENT_AUTH));
    }

    /**
     * CloudHub's server certificate, as {@code pre_server.go} makes it: {@code O=KubeEdge, CN=KubeEdge}, server auth,
     * SANs = the advertise addresses (IP literals) and DNS names; at least one SAN.
     */
    public X509Certificate issueServerCertificate(PublicKey serverKey, List<String> ipOrDnsSans, int validityDays)
            throws TlsException {
        requireDays(validityDays);
        EcKeys.requireP256(serverKey, "server key"); // CloudHub offers ECDHE-ECDSA suites only
        if (ipOrDnsSans == null || ipOrDnsSans.isEmpty()) {
            throw new TlsException("a server certificate needs at least one IP address or DNS name");
        }
        List<byte[]> sans = Sans.parse(ipOrDnsSans);
        Instant from = now(clock);
        return X509Issuer.issueLeaf(certificate, key, serverKey, List.of(COMMON_NAME), COMMON_NAME, sans,
                List.of(ExtKeyUsage.SERVER_AUTH), from, from.plus(Duration.ofDays(validityDays)));
    }

    public X509Certificate issueServerCertificate(KeyPair serverKey, List<String> ipOrDnsSans, int validityDays)
            throws TlsException {
        return issueServerCertificate(serverKey.getPublic(), ipOrDnsSans, validityDays);
    }

    /**
     * The check CloudHub makes on a presented edge certificate (certificate rotation, WebSocket authorization):
     * it chains to this CA and is valid now, allows client auth, and its subject is
     * {@code O=system:nodes, CN=system:node:<nodeName>}.
     */
    public void verifyClientCertificate(X509Certificate cert, String nodeName) throws TlsException {
        NodeCsr.requireNodeName(nodeName);
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(certificate, null)));
            params.setRevocationEnabled(false);
            params.setDate(Date.from(clock.instant()));
            CertPathValidator.getInstance("PKIX")
                    .validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(cert)), params);
        } catch (GeneralSecurityException e) {
            throw new TlsException("certificate " + cert.getSubjectX500Principal() + " is not valid under CA "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage();
        } catch (GeneralSecurityException e) {
            throw new TlsException("unreadable extended key usage: " + e.getMessage(), e);
        }
        if (eku != null && !eku.contains(ExtKeyUsage.CLIENT_AUTH.oid()) && !eku.contains(ExtKeyUsage.ANY.oid())) {
            throw new TlsException("certificate " + cert.getSubjectX500Principal() + " does not allow client auth");
        }
        List<String> orgs = values(cert.getSubjectX500Principal(), Names.O);
        List<String> cns = values(cert.getSubjectX500Principal(), Names.CN);
        if (orgs.isEmpty() || !orgs.get(0).equals(NodeCsr.NODES_GROUP)
                || cns.size() != 1 || !cns.get(0).equals(NodeCsr.commonName(nodeName))) {
            throw new TlsException("certificate subject " + cert.getSubjectX500Principal()
                    + " does not match node \"" + nodeName + "\" (expected O=" + NodeCsr.NODES_GROUP + ", CN="
                    + NodeCsr.commonName(nodeName) + ")");
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate DER: KubeEdge's {@code cadata}, the body of {@code GET /ca.crt}. */
    public byte[] caDer() {
        return caDer.clone();
    }

    /** The CA key DER exactly as stored (KubeEdge's {@code cakeydata}); also the join token's HMAC key. */
    public byte[] caKeyDer() {
        return keyDer.clone();
    }

    public String caPem() {
        return Pem.encode(Pem.CERTIFICATE, caDer);
    }

    /** The key as PEM, labelled for its encoding ("EC PRIVATE KEY" for SEC 1, else "PRIVATE KEY"). */
    public String caKeyPem() {
        return Pem.encode(EcKeys.isSec1(keyDer) ? Pem.EC_PRIVATE_KEY : Pem.PRIVATE_KEY, keyDer);
    }

    /** sha256 of the CA DER, lowercase hex: the first segment of the join token. */
    public String caHash() {
        return JoinToken.caHash(caDer);
    }

    /** The values of one attribute type in a Name (DER); the CSR's was checked when it was read. */
    private static List<String> values(byte[] name, String type) throws TlsException {
        try {
            return Names.values(name, type);
        } catch (IOException e) {
            throw new TlsException("malformed name: " + e.getMessage(), e);
        }
    }

    private static List<String> values(X500Principal name, String type) throws TlsException {
        return values(name.getEncoded(), type);
    }

    private static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS); // X.509 times have second precision
    }

    private static void requireDays(int days) throws TlsException {
        if (days <= 0) {
            throw new TlsException("validity must be at least one day, got " + days);
        }
    }
}
