package dev.kedge.core.tls;

import java.io.ByteArrayInputStream;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * PEM text ⇄ DER for the block types KubeEdge writes: certificates, CSRs, SEC 1 and PKCS#8 EC keys.
 * Decoding skips blocks of other types (e.g. the "EC PARAMETERS" block {@code openssl ecparam -genkey} emits first)
 * and any text between blocks; inside a block, RFC 1421 header lines ({@code Proc-Type: …}) are skipped and the
 * base64 must be well formed (RFC 7468).
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

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    /** One PEM block of {@code type} around {@code der}, 64-column base64, trailing newline. */
    public static String encode(String type, byte[] der) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder out = new StringBuilder(b64.length() + b64.length() / 64 + 2 * type.length() + 40);
        out.append(BEGIN).append(type).append(DASHES).append('\n');
        for (int i = 0; i < b64.length(); i += 64) {
            out.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
        }
        return out.append(END).append(type).append(DASHES).append('\n').toString();
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
        String[] lines = pem.split("\r?\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(BEGIN)) {
                continue; // text outside blocks
            }
            String type = line.substring(BEGIN.length());
            if (!type.endsWith(DASHES) || type.length() == DASHES.length()) {
                throw new TlsException("malformed PEM: bad line \"" + line + "\"");
            }
            type = type.substring(0, type.length() - DASHES.length());
            String end = END + type + DASHES;
            StringBuilder b64 = new StringBuilder();
            for (i++; i < lines.length && !lines[i].strip().equals(end); i++) {
                String body = lines[i].strip();
                if (body.indexOf(':') < 0) { // "Name: value" lines are RFC 1421 headers
                    b64.append(body);
                }
            }
            if (i == lines.length) {
                throw new TlsException("malformed PEM: " + end + " not found");
            }
            if (wanted.contains(type)) {
                try {
                    result.add(Base64.getDecoder().decode(b64.toString().replaceAll("\\s", "")));
                } catch (IllegalArgumentException e) {
                    throw new TlsException("malformed PEM: " + type + " block is not base64: " + e.getMessage(), e);
                }
            }
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
