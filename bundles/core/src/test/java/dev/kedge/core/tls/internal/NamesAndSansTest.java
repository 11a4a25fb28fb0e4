package dev.kedge.core.tls.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.List;

import javax.security.auth.x500.X500Principal;

import org.junit.jupiter.api.Test;

import dev.kedge.core.tls.TlsException;

/** Name encoding (string types matter: they are part of the certificate bytes) and SAN parsing. */
class NamesAndSansTest {

    @Test
    void namesUseUtf8StringExceptTheCountry() throws Exception {
        byte[] name = Names.encode(List.of(Names.rdn(Names.C, "CN"), Names.rdn(Names.O, "system:nodes"),
                Names.rdn(Names.CN, "system:node:a,b")));
        assertEquals("303e"
                + "310b300906035504061302434e" // C, PrintableString "CN"
                + "31153013060355040a0c0c73797374656d3a6e6f646573" // O, UTF8String "system:nodes"
                + "3118301606035504030c0f73797374656d3a6e6f64653a612c62", HexFormat.of().formatHex(name));
        X500Principal p = new X500Principal(name);
        assertEquals("CN=system:node:a\\,b,O=system:nodes,C=CN", p.getName());
        assertEquals(List.of("system:node:a,b"), Names.values(p, Names.CN)); // raw, not RFC 4514-escaped
        assertEquals(List.of("system:nodes"), Names.values(name, Names.O));
        assertEquals(List.of(), Names.values(name, Names.L));
    }

    @Test
    void multiValuedRdnsAndOtherStringTypesAreRead() throws Exception {
        // openssl -multivalue-rdn style "/O=a+O=b/CN=x" with PrintableString values, and a BMPString CN
        byte[] name = new X500Principal("O=a+O=b,CN=x").getEncoded();
        assertEquals(List.of("x"), Names.values(name, Names.CN));
        assertEquals(List.of("a", "b"), Names.values(name, Names.O).stream().sorted().toList());
        byte[] bmp = Der.sequence(Der.setOf(Der.sequence(Der.oid(Names.CN), Der.tlv(0x1e, new byte[] {0, 'h', 0, 'i'}))));
        assertEquals(List.of("hi"), Names.values(bmp, Names.CN));
        byte[] odd = Der.sequence(Der.setOf(Der.sequence(Der.oid(Names.CN), Der.integer(5))));
        assertEquals(List.of("#020105"), Names.values(odd, Names.CN)); // RFC 4514 form of a non-string value
    }

    @Test
    void sansSplitIntoIpLiteralsAndDnsNames() throws Exception {
        List<byte[]> sans = Sans.parse(List.of("10.0.0.1", " ::1 ", "fe80::a:b", "::ffff:1.2.3.4", "cloud.example.com",
                "*.edge.local", "1.2.3.256"));
        assertEquals(List.of("87040a000001", "871000000000000000000000000000000001",
                "8710fe8000000000000000000000000a000b", "871000000000000000000000ffff01020304",
                "8211636c6f75642e6578616d706c652e636f6d", "820c2a2e656467652e6c6f63616c", "8209312e322e332e323536"),
                sans.stream().map(HexFormat.of()::formatHex).toList());
        for (String bad : List.of("not a host!", "1::2::3", ":1", "1:", "[::1]", "fe80::1%eth0", "", "-a.b")) {
            assertThrows(TlsException.class, () -> Sans.parse(List.of(bad)), bad);
        }
    }

    @Test
    void ipLiteralsFollowRfc4291() {
        assertArrayEquals(new byte[16], Sans.ipLiteral("::"));
        assertArrayEquals(HexFormat.of().parseHex("00010002000300040005000600070008"),
                Sans.ipLiteral("1:2:3:4:5:6:7:8"));
        assertArrayEquals(HexFormat.of().parseHex("00010002000300040005000600070000"),
                Sans.ipLiteral("1:2:3:4:5:6:7::"));
        assertArrayEquals(HexFormat.of().parseHex("00010002000300040005000601020304"),
                Sans.ipLiteral("1:2:3:4:5:6:1.2.3.4"));
        for (String bad : List.of("1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:1.2.3.4", "1.2.3.4::", "12345::", "g::1",
                "1.2.3", "1.2.3.4.5", "+1.2.3.4", " 1.2.3.4", "1:2:3:4:5:6:7:8::")) {
            assertNull(Sans.ipLiteral(bad), bad);
        }
    }
}
