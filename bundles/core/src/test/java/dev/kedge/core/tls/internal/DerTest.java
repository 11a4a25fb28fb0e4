package dev.kedge.core.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Known-answer vectors for the DER writer and reader (X.690 examples and encodings openssl/Go produce). */
class DerTest {
    private static byte[] hex(String h) {
        return HexFormat.of().parseHex(h.replace(" ", ""));
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void lengthsUseShortAndLongForm() {
        assertEquals("0400", hex(Der.octetString(new byte[0])));
        assertEquals("047f", hex(Der.octetString(new byte[127])).substring(0, 4));
        assertEquals("048180", hex(Der.octetString(new byte[128])).substring(0, 6));
        assertEquals("0481ff", hex(Der.octetString(new byte[255])).substring(0, 6));
        assertEquals("04820100", hex(Der.octetString(new byte[256])).substring(0, 8));
        assertEquals("0483010000", hex(Der.octetString(new byte[65536])).substring(0, 10));
    }

    @Test
    void integersAreMinimalTwosComplement() {
        assertEquals("020100", hex(Der.integer(0)));
        assertEquals("02017f", hex(Der.integer(127)));
        assertEquals("02020080", hex(Der.integer(128)));
        assertEquals("020201 00".replace(" ", ""), hex(Der.integer(256)));
        assertEquals("0201ff", hex(Der.integer(-1)));
        assertEquals("020180", hex(Der.integer(-128)));
    }

    @Test
    void objectIdentifiers() throws IOException {
        assertEquals("06072a8648ce3d0201", hex(Der.oid("1.2.840.10045.2.1"))); // id-ecPublicKey
        assertEquals("06082a8648ce3d030107", hex(Der.oid("1.2.840.10045.3.1.7"))); // prime256v1
        assertEquals("0603551d11", hex(Der.oid("2.5.29.17")));
        assertEquals("0603883703", hex(Der.oid("2.999.3"))); // X.690 8.19.5 example: first subidentifier 1079
        assertEquals("0609 2a864886f70d01090e".replace(" ", ""), hex(Der.oid("1.2.840.113549.1.9.14")));
        for (String oid : List.of("1.2.840.10045.2.1", "2.999.3", "0.9.2342.19200300.100.1.25", "2.5.4.3",
                "1.3.6.1.4.1.311.60.2.1.3", "2.25.4611686018427387904")) {
            assertEquals(oid, Tlv.parse(Der.oid(oid)).oid());
        }
    }

    @Test
    void booleansStringsAndNull() {
        assertEquals("0101ff", hex(Der.bool(true)));
        assertEquals("010100", hex(Der.bool(false)));
        assertEquals("1302434e", hex(Der.printableString("CN")));
        assertEquals("0c03c3a46f", hex(Der.utf8String("äo")));
        assertEquals("1603612e62", hex(Der.ia5String("a.b")));
    }

    @Test
    void keyUsageBitsAsOpenSslEncodesThem() {
        // digitalSignature, keyEncipherment, keyCertSign: 03 02 02 a4 in every CA openssl or Go makes
        assertEquals("030202a4", hex(Der.namedBits(0, 2, 5)));
        assertEquals("030205a0", hex(Der.namedBits(0, 2))); // digitalSignature, keyEncipherment
        assertEquals("03020780", hex(Der.namedBits(0)));
        assertEquals("0303070080", hex(Der.namedBits(8))); // decipherOnly
        assertEquals("030100", hex(Der.namedBits()));
    }

    @Test
    void timesSwitchToGeneralizedTimeOutside1950To2049() {
        assertEquals("170d3234303130323033303430355a", hex(Der.time(Instant.parse("2024-01-02T03:04:05.678Z"))));
        assertEquals("170d3530303130313030303030305a", hex(Der.time(Instant.parse("1950-01-01T00:00:00Z"))));
        assertEquals("170d3439313233313233353935395a", hex(Der.time(Instant.parse("2049-12-31T23:59:59Z"))));
        assertEquals("180f32303530303130313030303030305a", hex(Der.time(Instant.parse("2050-01-01T00:00:00Z"))));
        assertEquals("180f31393439313233313233353935395a", hex(Der.time(Instant.parse("1949-12-31T23:59:59Z"))));
    }

    @Test
    void setOfIsSortedAndTagsAreComposed() {
        assertEquals("3106 020101 020102".replace(" ", ""), hex(Der.setOf(Der.integer(2), Der.integer(1))));
        assertEquals("a003020102", hex(Der.explicit(0, Der.integer(2))));
        assertEquals("820161", hex(Der.implicitPrimitive(2, new byte[] {'a'})));
        assertEquals("a000", hex(Der.implicitConstructed(0)));
        assertEquals("3000", hex(Der.sequence()));
    }

    @Test
    void readerWalksWhatTheWriterWrote() throws IOException {
        byte[] der = Der.sequence(Der.integer(BigInteger.valueOf(-300)), Der.bitString(new byte[] {1, 2}),
                Der.utf8String("système"), Der.explicit(1, Der.octetString(new byte[200])));
        Tlv t = Tlv.parse(der);
        assertArrayEquals(der, t.encoded());
        List<Tlv> items = t.sequence("test", 4, 4);
        assertEquals(BigInteger.valueOf(-300), items.get(0).integer());
        assertArrayEquals(new byte[] {1, 2}, items.get(1).bitStringBytes());
        assertEquals("système", items.get(2).string());
        assertNull(items.get(0).string());
        assertEquals(0xa1, items.get(3).tag());
        assertEquals(200, Tlv.parse(items.get(3).content()).content().length);
    }

    @Test
    void readerRefusesWhatIsNotDer() {
        assertThrows(IOException.class, () -> Tlv.parse(new byte[0]));
        assertThrows(IOException.class, () -> Tlv.parse(hex("3080 0000"))); // indefinite length (BER)
        assertThrows(IOException.class, () -> Tlv.parse(hex("020100 00"))); // trailing byte
        assertThrows(IOException.class, () -> Tlv.parse(hex("3003 0201"))); // content runs past the end
        assertThrows(IOException.class, () -> Tlv.parse(hex("3004 0203010203")).children()); // child runs past parent
        assertThrows(IOException.class, () -> Tlv.parse(hex("0485ffffffffff"))); // five length bytes
        assertThrows(IOException.class, () -> Tlv.parse(hex("1f2200"))); // high tag number
        assertThrows(IOException.class, () -> Tlv.parse(hex("0200")).integer()); // empty INTEGER
        assertThrows(IOException.class, () -> Tlv.parse(hex("06022a86")).oid()); // unterminated arc
        assertThrows(IOException.class, () -> Tlv.parse(hex("03020780")).bitStringBytes()); // unused bits
        assertThrows(IOException.class, () -> Tlv.parse(hex("020101")).children()); // primitive
        assertThrows(IOException.class, () -> Tlv.parse(hex("3100")).sequence("x", 0, 0)); // SET, not SEQUENCE
    }
}
