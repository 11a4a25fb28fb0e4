package dev.kedge.core.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.kedge.core.tls.JoinToken.Reason;

/** The join token's wire format and every way it is refused. */
@Timeout(60)
class JoinTokenTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00.250Z");
    private static final Clock NOW = Clock.fixed(T0, ZoneOffset.UTC);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private static CertificateAuthority ca;
    private static CertificateAuthority otherCa;

    @BeforeAll
    static void cas() throws Exception {
        ca = CertificateAuthority.create();
        otherCa = CertificateAuthority.create();
    }

    @Test
    void createdTokenHasKubeEdgesShapeAndVerifies() throws Exception {
        String token = JoinToken.create(ca, JoinToken.DEFAULT_TTL, NOW);
        String[] parts = token.split("\\.");
        assertEquals(4, parts.length);
        assertEquals(ca.caHash(), parts[0]);
        assertEquals("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", decode(parts[1]));
        long exp = T0.getEpochSecond() + Duration.ofHours(24).toSeconds(); // 2 × tokenRefreshDuration (12 h)
        assertEquals("{\"exp\":" + exp + "}", decode(parts[2]));

        assertTrue(JoinToken.verify(token, ca, NOW).ok());
        assertTrue(JoinToken.verify(token, ca.caKeyDer(), NOW).ok());
        // the edge sends only the JWT as "Authorization: Bearer …"
        JoinToken.Parts p = JoinToken.parse(token);
        assertEquals(ca.caHash(), p.caHash());
        assertEquals(Reason.VALID, JoinToken.verify(p.jwt(), ca.caKeyDer(), NOW).reason());
        assertTrue(JoinToken.caHashMatches(token, ca.caDer()));
    }

    @Test
    void expiresExactlyAtExp() throws Exception {
        String token = JoinToken.create(ca, Duration.ofHours(24), NOW);
        Instant exp = Instant.ofEpochSecond(T0.getEpochSecond()).plus(Duration.ofHours(24));
        assertTrue(JoinToken.verify(token, ca, Clock.fixed(exp.minusMillis(1), ZoneOffset.UTC)).ok());
        JoinToken.Verification v = JoinToken.verify(token, ca, Clock.fixed(exp, ZoneOffset.UTC));
        assertEquals(Reason.EXPIRED, v.reason());
        assertTrue(v.message().contains("expired"), v.message());
    }

    @Test
    void signatureFromAnotherKeyIsRefused() throws Exception {
        // right CA pin, but signed with a different CA key
        String forged = ca.caHash() + "." + JoinToken.parse(JoinToken.create(otherCa, Duration.ofHours(1), NOW)).jwt();
        assertEquals(Reason.BAD_SIGNATURE, JoinToken.verify(forged, ca, NOW).reason());
        assertEquals(Reason.BAD_SIGNATURE, JoinToken.verify(forged, ca.caKeyDer(), NOW).reason());
    }

    @Test
    void tamperedPayloadIsRefused() throws Exception {
        String[] parts = JoinToken.create(ca, Duration.ofMinutes(1), NOW).split("\\.");
        parts[2] = B64.encodeToString("{\"exp\":4102444800}".getBytes(StandardCharsets.UTF_8)); // year 2100
        JoinToken.Verification v = JoinToken.verify(String.join(".", parts), ca, NOW);
        assertEquals(Reason.BAD_SIGNATURE, v.reason());
        assertTrue(v.message().contains("signature"), v.message());
    }

    @Test
    void tokenOfAnotherCaIsRefusedByItsPin() throws Exception {
        String theirs = JoinToken.create(otherCa, Duration.ofHours(1), NOW);
        JoinToken.Verification v = JoinToken.verify(theirs, ca, NOW);
        assertEquals(Reason.CA_HASH_MISMATCH, v.reason());
        assertTrue(v.message().contains(otherCa.caHash()) && v.message().contains(ca.caHash()), v.message());
        assertFalse(JoinToken.caHashMatches(theirs, ca.caDer()));
        assertTrue(JoinToken.caHashMatches(theirs, otherCa.caDer()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "garbage", "a.b.c.d", "a.b", "..",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.x.y.z",
        "eyJhbGciOiJIUzI1NiJ9.e30=.AAAA"})
    void garbageIsBadFormat(String token) {
        JoinToken.Verification v = JoinToken.verify(token, ca.caKeyDer(), NOW);
        assertEquals(Reason.BAD_FORMAT, v.reason(), v.message());
        assertFalse(v.ok());
        assertFalse(JoinToken.caHashMatches(token, ca.caDer()));
    }

    @Test
    void parseExplainsWhatIsWrong() {
        TlsException e = assertThrows(TlsException.class, () -> JoinToken.parse("abc.def"));
        assertTrue(e.getMessage().contains("4 dot-separated parts"), e.getMessage());
        e = assertThrows(TlsException.class, () -> JoinToken.parse("xyz.a.b.c"));
        assertTrue(e.getMessage().contains("64 hex"), e.getMessage());
    }

    @Test
    void algNoneAndMissingExpAreRefused() throws Exception {
        String none = jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"exp\":4102444800}", ca.caKeyDer());
        assertEquals(Reason.BAD_FORMAT, JoinToken.verify(none, ca.caKeyDer(), NOW).reason());
        String noExp = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"x\"}", ca.caKeyDer());
        JoinToken.Verification v = JoinToken.verify(noExp, ca.caKeyDer(), NOW);
        assertEquals(Reason.BAD_FORMAT, v.reason());
        assertTrue(v.message().contains("exp"), v.message());
        String notYet = jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
                "{\"exp\":4102444800,\"nbf\":" + (T0.getEpochSecond() + 60) + "}", ca.caKeyDer());
        assertFalse(JoinToken.verify(notYet, ca.caKeyDer(), NOW).ok());
    }

    @Test
    void independentlyComputedJwtVerifies() throws Exception {
        // a different but valid header key order, as another JWT library might write it
        long exp = T0.getEpochSecond() + 3600;
        String jwt = jwt("{\"typ\":\"JWT\",\"alg\":\"HS256\"}", "{\"exp\":" + exp + "}", ca.caKeyDer());
        assertTrue(JoinToken.verify(jwt, ca.caKeyDer(), NOW).ok());
        assertTrue(JoinToken.verify(ca.caHash() + "." + jwt, ca, NOW).ok());
        assertEquals(Reason.BAD_SIGNATURE, JoinToken.verify(jwt, otherCa.caKeyDer(), NOW).reason());
    }

    @Test
    void signatureMatchesOpenSslHmac(@TempDir Path dir) throws Exception {
        String[] parts = JoinToken.create(ca, Duration.ofHours(1), NOW).split("\\.");
        OpenSsl openssl = new OpenSsl(dir);
        openssl.write("input", parts[1] + "." + parts[2]);
        String out = openssl.ok("dgst", "-sha256", "-mac", "HMAC",
                "-macopt", "hexkey:" + HexFormat.of().formatHex(ca.caKeyDer()), "-r", "input");
        assertEquals(out.substring(0, 64), HexFormat.of().formatHex(Base64.getUrlDecoder().decode(parts[3])));
    }

    @Test
    void lifetimeMustBePositive() {
        assertThrows(TlsException.class, () -> JoinToken.create(ca, Duration.ZERO, NOW));
        assertEquals(Duration.ofHours(24), JoinToken.ttlForRefresh(JoinToken.DEFAULT_REFRESH));
    }

    private static String jwt(String header, String payload, byte[] key) throws Exception {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
