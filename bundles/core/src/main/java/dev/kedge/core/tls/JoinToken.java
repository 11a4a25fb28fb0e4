package dev.kedge.core.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.tls.internal.Hs256Jwt;

/**
 * KubeEdge's join token ({@code pkg/security/token/token.go}): {@code <sha256-hex(CA DER)>.<JWT>}, the JWT being
 * HS256 over {@code {"exp":…}} keyed with the CA private key's DER bytes (the SEC 1 {@code cakeydata}).
 * The edge pins the CA it downloads with the first segment and sends the rest as {@code Authorization: Bearer <jwt>};
 * CloudHub verifies that JWT with its CA key.
 */
public final class JoinToken {
    /** KubeEdge's {@code tokenRefreshDuration} default. */
    public static final Duration DEFAULT_REFRESH = Duration.ofHours(12);
    /** Lifetime of a token: twice the refresh period, so a token fetched any time stays valid ≥ one period. */
    public static final Duration DEFAULT_TTL = ttlForRefresh(DEFAULT_REFRESH);

    /** A token split into its CA pin and its JWT. */
    public record Parts(String caHash, String jwt) {
    }

    /** Why a token was accepted or refused. */
    public enum Reason { VALID, BAD_FORMAT, BAD_SIGNATURE, EXPIRED, CA_HASH_MISMATCH }

    /** The outcome of a check; {@link #message()} is fit for a log line or a 401 body. */
    public record Verification(Reason reason, String message) {
        public boolean ok() {
            return reason == Reason.VALID;
        }

        static Verification fail(Reason reason, String message) {
            return new Verification(reason, message);
        }
    }

    private JoinToken() {
    }

    /** 2 × the refresh period, KubeEdge's expiry rule. */
    public static Duration ttlForRefresh(Duration refreshPeriod) {
        return refreshPeriod.multipliedBy(2);
    }

    /** A token for {@code ca} expiring {@code ttl} from now (whole seconds, like Go's NumericDate). */
    public static String create(CertificateAuthority ca, Duration ttl, Clock clock) throws TlsException {
        return create(ca.caDer(), ca.caKeyDer(), ttl, clock);
    }

    /** As {@link #create(CertificateAuthority, Duration, Clock)} from the raw {@code cadata} / {@code cakeydata}. */
    public static String create(byte[] caDer, byte[] caKeyDer, Duration ttl, Clock clock) throws TlsException {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new TlsException("token lifetime must be positive, got " + ttl);
        }
        requireKey(caKeyDer);
        long exp = clock.instant().plus(ttl).getEpochSecond();
        return caHash(caDer) + "." + Hs256Jwt.sign(exp, caKeyDer);
    }

    /** Splits {@code <caHash>.<header>.<payload>.<signature>}; exactly four dot-separated parts, as KubeEdge requires. */
    public static Parts parse(String token) throws TlsException {
        if (token == null) {
            throw new TlsException("token is missing");
        }
        String t = token.strip();
        String[] parts = t.split("\\.", -1);
        if (parts.length != 4) {
            throw new TlsException("token must be <caHash>.<jwt> (4 dot-separated parts), has " + parts.length);
        }
        if (parts[0].length() != 64 || !parts[0].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new TlsException("token CA hash is not 64 hex digits: \"" + parts[0] + "\"");
        }
        return new Parts(parts[0].toLowerCase(Locale.ROOT), t.substring(parts[0].length() + 1));
    }

    /** Edge side, before trusting a downloaded {@code /ca.crt}: does its sha256 equal the token's pin? */
    public static boolean caHashMatches(String token, byte[] caDer) {
        try {
            return MessageDigest.isEqual(parse(token).caHash().getBytes(StandardCharsets.US_ASCII),
                    caHash(caDer).getBytes(StandardCharsets.US_ASCII));
        } catch (TlsException e) {
            return false;
        }
    }

    /**
     * Cloud side: checks signature and expiry of a full token or of the bare JWT an edge sends as Bearer.
     * {@code exp} is required (KubeEdge always sets it); {@code nbf}, if present, is honoured.
     */
    public static Verification verify(String tokenOrJwt, byte[] caKeyDer, Clock clock) {
        Objects.requireNonNull(clock, "clock");
        if (caKeyDer == null || caKeyDer.length == 0) {
            return Verification.fail(Reason.BAD_SIGNATURE, "no CA key to verify the token with");
        }
        if (tokenOrJwt == null || tokenOrJwt.isBlank()) {
            return Verification.fail(Reason.BAD_FORMAT, "token is empty");
        }
        String jwt = tokenOrJwt.strip();
        if (jwt.chars().filter(c -> c == '.').count() == 3) {
            try {
                jwt = parse(jwt).jwt();
            } catch (TlsException e) {
                return Verification.fail(Reason.BAD_FORMAT, e.getMessage());
            }
        }
        JsonNode claims;
        try {
            claims = Hs256Jwt.verify(jwt, caKeyDer).claims();
        } catch (Hs256Jwt.Invalid e) {
            return Verification.fail(e.badSignature() ? Reason.BAD_SIGNATURE : Reason.BAD_FORMAT, e.getMessage());
        }
        Instant now = clock.instant();
        Instant exp = numericDate(claims.get("exp"));
        if (exp == null) {
            return Verification.fail(Reason.BAD_FORMAT, "token has no numeric exp claim");
        }
        if (!now.isBefore(exp)) { // golang-jwt v5: valid only while now is before exp
            return Verification.fail(Reason.EXPIRED, "token expired at " + exp + ", now is " + now);
        }
        if (claims.has("nbf")) {
            Instant nbf = numericDate(claims.get("nbf"));
            if (nbf == null || now.isBefore(nbf)) {
                return Verification.fail(Reason.EXPIRED, "token is not valid before " + claims.get("nbf"));
            }
        }
        return new Verification(Reason.VALID, "token valid until " + exp);
    }

    /** A JWT NumericDate (seconds, possibly fractional) or null if absent or not a number. */
    private static Instant numericDate(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        if (n.isIntegralNumber()) {
            if (!n.canConvertToLong()) {
                return null;
            }
            long v = n.asLong();
            return v > Instant.MAX.getEpochSecond() ? Instant.MAX
                    : v < Instant.MIN.getEpochSecond() ? Instant.MIN : Instant.ofEpochSecond(v);
        }
        double d = n.asDouble();
        return Double.isFinite(d) && Math.abs(d) < 1e15 ? Instant.ofEpochMilli((long) Math.floor(d * 1000)) : null;
    }

    /** Checks a full token against this CA: the pin must be this CA's hash, then signature and expiry. */
    public static Verification verify(String token, CertificateAuthority ca, Clock clock) {
        Parts parts;
        try {
            parts = parse(token);
        } catch (TlsException e) {
            return Verification.fail(Reason.BAD_FORMAT, e.getMessage());
        }
        if (!parts.caHash().equals(ca.caHash())) {
            return Verification.fail(Reason.CA_HASH_MISMATCH, "token pins CA " + parts.caHash()
                    + " but this CA is " + ca.caHash());
        }
        return verify(parts.jwt(), ca.caKeyDer(), clock);
    }

    /** sha256 of the CA certificate DER, lowercase hex (KubeEdge's {@code hashCA}). */
    public static String caHash(byte[] caDer) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(caDer));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void requireKey(byte[] caKeyDer) throws TlsException {
        if (caKeyDer == null || caKeyDer.length == 0) {
            throw new TlsException("CA key is empty");
        }
    }
}
