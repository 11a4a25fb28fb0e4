package dev.kedge.cloud.hub.internal;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsException;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The CA, CloudHub's server certificate and the join token, kept where KubeEdge keeps them: secrets {@code casecret}
 * ({@code cadata}, {@code cakeydata}), {@code cloudcoresecret} ({@code cloudcoredata}, {@code cloudcorekeydata}) and
 * {@code tokensecret} ({@code tokendata}), DER, in namespace {@code kubeedge}. Created at first start; replicas that
 * race take whichever secret was created first. A server certificate that does not cover the wanted addresses is
 * reissued, so a changed advertise address never leaves edges with "certificate is valid for A, not B".
 */
final class CloudCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(CloudCertificates.class);
    static final String CA_SECRET = "casecret";
    static final String SERVER_SECRET = "cloudcoresecret";
    static final String TOKEN_SECRET = "tokensecret";

    final CertificateAuthority ca;
    final KeyPair serverKey;
    final X509Certificate serverCert;
    private final KubernetesClient kube;
    private final String namespace;

    private CloudCertificates(KubernetesClient kube, String namespace, CertificateAuthority ca, KeyPair serverKey,
            X509Certificate serverCert) {
        this.kube = kube;
        this.namespace = namespace;
        this.ca = ca;
        this.serverKey = serverKey;
        this.serverCert = serverCert;
    }

    static CloudCertificates ensure(KubernetesClient kube, String namespace, List<String> sans) throws TlsException {
        ensureNamespace(kube, namespace);
        CertificateAuthority ca = loadOrCreateCa(kube, namespace);
        Secret server = kube.secrets().inNamespace(namespace).withName(SERVER_SECRET).get();
        if (server != null) {
            X509Certificate cert = Pem.certificateFromDer(bytes(server, "cloudcoredata"));
            PrivateKey key = EcKeys.privateKeyFromDer(bytes(server, "cloudcorekeydata"));
            if (covers(cert, sans) && signedBy(cert, ca)) {
                return new CloudCertificates(kube, namespace, ca, new KeyPair(cert.getPublicKey(), key), cert);
            }
            LOG.info("CloudHub server certificate does not cover {} (or another CA signed it): reissuing", sans);
        }
        KeyPair key = EcKeys.generate();
        X509Certificate cert = ca.issueServerCertificate(key, sans, (int) CertificateAuthority.DEFAULT_VALIDITY.toDays());
        put(kube, namespace, SERVER_SECRET, Map.of("cloudcoredata", encoded(cert), "cloudcorekeydata",
                EcKeys.toSec1Der(key)), server != null);
        return new CloudCertificates(kube, namespace, ca, key, cert);
    }

    /** Makes a fresh token and stores it in {@code tokensecret} (as {@code keadm gettoken} reads it). */
    String refreshToken(Duration ttl, Clock clock) throws TlsException {
        String token = JoinToken.create(ca, ttl, clock);
        Secret existing = kube.secrets().inNamespace(namespace).withName(TOKEN_SECRET).get();
        put(kube, namespace, TOKEN_SECRET, Map.of("tokendata", token.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                existing != null);
        return token;
    }

    /** The token in {@code tokensecret} if it is still valid for this CA (another replica may have written it). */
    String storedToken(Clock clock) {
        Secret existing = kube.secrets().inNamespace(namespace).withName(TOKEN_SECRET).get();
        if (existing == null || existing.getData() == null || existing.getData().get("tokendata") == null) {
            return null;
        }
        try {
            String token = new String(bytes(existing, "tokendata"), java.nio.charset.StandardCharsets.UTF_8).trim();
            return JoinToken.verify(token, ca, clock).ok() ? token : null;
        } catch (TlsException | IllegalArgumentException e) {
            LOG.warn("{} unreadable ({}): a new token will be made", TOKEN_SECRET, e.getMessage());
            return null;
        }
    }

    /** Addresses the server certificate must cover: configured ones and DNS names, this host's, and localhost. */
    static List<String> wantedSans(String[] advertise, String[] dnsNames) {
        Set<String> sans = new LinkedHashSet<>();
        for (String a : advertise) {
            if (!a.isBlank()) {
                sans.add(a.trim());
            }
        }
        for (String d : dnsNames) {
            if (!d.isBlank()) {
                sans.add(d.trim());
            }
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof java.net.Inet4Address) {
                        sans.add(a.getHostAddress());
                    }
                }
            }
        } catch (java.net.SocketException e) {
            LOG.warn("cannot list this host's addresses: {}", e.toString());
        }
        sans.add("127.0.0.1");
        sans.add("localhost");
        return new ArrayList<>(sans);
    }

    private static CertificateAuthority loadOrCreateCa(KubernetesClient kube, String ns) throws TlsException {
        Secret s = kube.secrets().inNamespace(ns).withName(CA_SECRET).get();
        if (s == null) {
            CertificateAuthority fresh = CertificateAuthority.create();
            if (put(kube, ns, CA_SECRET, Map.of("cadata", fresh.caDer(), "cakeydata", fresh.caKeyDer()), false)) {
                LOG.info("created the Kedge CA in secret {}/{} (sha256 {})", ns, CA_SECRET, fresh.caHash());
                return fresh;
            }
            s = kube.secrets().inNamespace(ns).withName(CA_SECRET).get(); // another replica was first
        }
        return CertificateAuthority.fromDer(bytes(s, "cadata"), bytes(s, "cakeydata"));
    }

    /** Creates (or replaces) a secret; false when creating lost a race with another replica. */
    private static boolean put(KubernetesClient kube, String ns, String name, Map<String, byte[]> data,
            boolean replace) {
        Map<String, String> encoded = new java.util.HashMap<>();
        data.forEach((k, v) -> encoded.put(k, Base64.getEncoder().encodeToString(v)));
        Secret secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns)
                .addToLabels("app.kubernetes.io/managed-by", "kedge").endMetadata().withData(encoded).build();
        try {
            if (replace) {
                kube.secrets().inNamespace(ns).resource(secret).update();
            } else {
                kube.secrets().inNamespace(ns).resource(secret).create();
            }
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409 && !replace) {
                return false;
            }
            throw e;
        }
    }

    private static void ensureNamespace(KubernetesClient kube, String ns) {
        if (kube.namespaces().withName(ns).get() == null) {
            try {
                kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                        .create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw e;
                }
            }
        }
    }

    private static byte[] bytes(Secret s, String key) throws TlsException {
        String v = s.getData() == null ? null : s.getData().get(key);
        if (v == null) {
            throw new TlsException("secret " + s.getMetadata().getName() + " has no key " + key);
        }
        return Base64.getDecoder().decode(v);
    }

    private static boolean covers(X509Certificate cert, List<String> sans) {
        try {
            Set<String> have = new LinkedHashSet<>();
            if (cert.getSubjectAlternativeNames() != null) {
                cert.getSubjectAlternativeNames().forEach(l -> have.add(String.valueOf(l.get(1))));
            }
            return have.containsAll(sans);
        } catch (CertificateParsingException e) {
            return false;
        }
    }

    private static boolean signedBy(X509Certificate cert, CertificateAuthority ca) {
        try {
            cert.verify(ca.certificate().getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] encoded(X509Certificate cert) throws TlsException {
        try {
            return cert.getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new TlsException("cannot encode certificate", e);
        }
    }
}
