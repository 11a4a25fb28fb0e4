package dev.kedge.core.tls.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.json.Json;

/**
 * The JWT subset KubeEdge's join token uses (golang-jwt v5): compact form, base64url without padding, HMAC-SHA2.
 * Signing writes exactly what Go writes for {@code RegisteredClaims{ExpiresAt}}: header
 * {@code {"alg":"HS256","typ":"JWT"}} (Go marshals the header map with sorted keys) and payload {@code {"exp":<s>}}.
 */
public final class Hs256Jwt {
    /** Parsed and signature-checked; {@link #claims} is still to be judged by the caller. */
    public record Verified(JsonNode claims) {
    }

    /** Why a JWT was refused, before its claims are looked at. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean badSignature;

        Invalid(String message, boolean badSignature) {
            super(message);
            this.badSignature = badSignature;
        }

        /** True for a well-formed token whose MAC does not match; false for a malformed one. */
        public boolean badSignature() {
            return badSignature;
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString(
            "{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    private Hs256Jwt() {
    }

    /** {@code header.payload.signature} with only the {@code exp} claim, in epoch seconds. */
    public static String sign(long expEpochSeconds, byte[] key) {
        String signingInput = HEADER + "." + B64.encodeToString(
                ("{\"exp\":" + expEpochSeconds + "}").getBytes(StandardCharsets.UTF_8));
        return signingInput + "." + B64.encodeToString(mac("HmacSHA256", key, signingInput));
    }

    /** Checks form, algorithm (HS256/384/512, as KubeEdge accepts any HMAC method) and the MAC. */
    public static Verified verify(String jwt, byte[] key) throws Invalid {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            throw new Invalid("JWT must have 3 dot-separated parts, has " + parts.length, false);
        }
        JsonNode header = json(parts[0], "header");
        JsonNode claims = json(parts[1], "payload");
        String alg = header.path("alg").asText("");
        String macName = switch (alg) {
            case "HS256" -> "HmacSHA256";
            case "HS384" -> "HmacSHA384";
            case "HS512" -> "HmacSHA512";
            default -> throw new Invalid("JWT algorithm \"" + alg + "\" is not HMAC-SHA2", false);
        };
        byte[] given = bytes(parts[2], "signature");
        byte[] expected = mac(macName, key, parts[0] + "." + parts[1]);
        if (!MessageDigest.isEqual(given, expected)) { // constant time
            throw new Invalid("JWT signature does not match the CA key", true);
        }
        if (!claims.isObject()) {
            throw new Invalid("JWT payload is not a JSON object", false);
        }
        return new Verified(claims);
    }

    private static JsonNode json(String part, String what) throws Invalid {
        try {
            JsonNode n = Json.parse(bytes(part, what));
            if (n == null || !n.isObject()) {
                throw new Invalid("JWT " + what + " is not a JSON object", false);
            }
            return n;
        } catch (IOException e) {
            throw new Invalid("JWT " + what + " is not JSON: " + e.getMessage(), false);
        }
    }

    private static byte[] bytes(String part, String what) throws Invalid {
        if (part.isEmpty() || part.indexOf('=') >= 0) { // Go's RawURLEncoding: no padding
            throw new Invalid("JWT " + what + " is not unpadded base64url", false);
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw new Invalid("JWT " + what + " is not base64url: " + e.getMessage(), false);
        }
    }

    private static byte[] mac(String algorithm, byte[] key, String input) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
