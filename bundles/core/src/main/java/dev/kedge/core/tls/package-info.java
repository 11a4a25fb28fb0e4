/**
 * The certificate material CloudHub and EdgeHub share, in KubeEdge's formats: EC P-256 keys, the self-signed CA,
 * node CSRs and the certificates signed from them, the join token {@code <sha256(CA DER)>.<HS256 JWT>}, and
 * {@link javax.net.ssl.SSLContext}s for mutual TLS limited to TLS 1.2/1.3 with ECDHE-ECDSA AEAD suites.
 * <p>Only JDK types cross this API. Everything is done with the JDK's own crypto (java.security) and a small DER
 * encoder/decoder in the internal package; no BouncyCastle.
 */
@Export
@Version("1.1.0")
package dev.kedge.core.tls;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
