package dev.kedge.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM text ⇄ DER for the block types KubeEdge writes: certificates, CSRs, SEC 1 and PKCS#8 EC keys.
 * Decoding skips blocks of other types (e.g. the "EC PARAMETERS" block {@code openssl ecparam -genkey} emits first).
 */
public final class Pem {
    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String CERTIFICATE_REQUEST = "CERTIFICATE REQUEST";
    /** SEC 1, Go's {@code keyutil.ECPrivateKeyBlockType}: what KubeEdge writes for CA and edge keys. */
    public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";
    /** PKCS#8. */
    public static final String PRIVATE_KEY = "PRIVATE KEY";

    private Pem() {
    }

    /** One PEM block of {@code type} around {@code der}, 64-column base64, trailing newline. */
    public static String encode(String type, byte[] der) {
        StringWriter out = new StringWriter();
        try (PemWriter w = new PemWriter(out)) {
            w.writeObject(new PemObject(type, der));
        } catch (IOException e) {
            throw new IllegalStateException("writing PEM to memory failed", e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** The DER of the first block whose type is one of {@code types}. */
    public static byte[] decode(String pem, String... types) throws TlsException {
        List<byte[]> all = decodeAll(pem, types);
        if (all.isEmpty()) {
            throw new TlsException("no PEM block of type " + Arrays.toString(types) + " found");
        }
        return all.get(0);
    }

    /** The DER of every block whose type is one of {@code types}, in order. */
    public static List<byte[]> decodeAll(String pem, String... types) throws TlsException {
        if (pem == null) {
            throw new TlsException("PEM text is null");
        }
        List<String> wanted = Arrays.asList(types);
        List<byte[]> result = new ArrayList<>();
        try (PemReader r = new PemReader(new StringReader(pem))) {
            for (PemObject o = r.readPemObject(); o != null; o = r.readPemObject()) {
                if (wanted.contains(o.getType())) {
                    result.add(o.getContent());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsException("malformed PEM: " + e.getMessage(), e);
        }
        return result;
    }

    public static String certificate(X509Certificate cert) throws TlsException {
        try {
            return encode(CERTIFICATE, cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new TlsException("cannot encode certificate " + cert.getSubjectX500Principal(), e);
        }
    }

    /** The first certificate in {@code pem}. */
    public static X509Certificate parseCertificate(String pem) throws TlsException {
        return certificateFromDer(decode(pem, CERTIFICATE));
    }

    /** Every certificate in {@code pem} (a chain or a bundle), at least one. */
    public static List<X509Certificate> parseCertificates(String pem) throws TlsException {
        List<X509Certificate> certs = new ArrayList<>();
        for (byte[] der : decodeAll(pem, CERTIFICATE)) {
            certs.add(certificateFromDer(der));
        }
        if (certs.isEmpty()) {
            throw new TlsException("no PEM block of type CERTIFICATE found");
        }
        return certs;
    }

    /** Parses X.509 DER, e.g. the body of KubeEdge's {@code GET /ca.crt} and {@code GET /edge.crt}. */
    public static X509Certificate certificateFromDer(byte[] der) throws TlsException {
        if (der == null || der.length == 0) {
            throw new TlsException("certificate DER is empty");
        }
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new TlsException("not an X.509 certificate: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 "PRIVATE KEY" PEM of any JCA private key. */
    public static String privateKey(PrivateKey key) {
        return encode(PRIVATE_KEY, key.getEncoded());
    }

    /** A P-256 private key from "EC PRIVATE KEY" (SEC 1) or "PRIVATE KEY" (PKCS#8) PEM. */
    public static PrivateKey parsePrivateKey(String pem) throws TlsException {
        return EcKeys.privateKeyFromDer(privateKeyDer(pem));
    }

    /** The DER of the first private-key block, as stored, whichever of the two encodings it uses. */
    public static byte[] privateKeyDer(String pem) throws TlsException {
        return decode(pem, EC_PRIVATE_KEY, PRIVATE_KEY);
    }

    public static String csr(byte[] csrDer) {
        return encode(CERTIFICATE_REQUEST, csrDer);
    }

    /** CSR DER from PEM; accepts the legacy "NEW CERTIFICATE REQUEST" label too. */
    public static byte[] parseCsr(String pem) throws TlsException {
        return decode(pem, CERTIFICATE_REQUEST, "NEW CERTIFICATE REQUEST");
    }
}
