package dev.kedge.edge.cri.internal.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** HPACK against the examples of RFC 7541, Appendix C, and the Huffman table of its Appendix B. */
class HpackTest {

    @Test
    void canonicalCodesMatchTheRfcTable() {
        assertEquals(0x1ff8, Huffman.code(0));
        assertEquals(0x7fffd8, Huffman.code(1));
        assertEquals(0x3ffffffc, Huffman.code(10));
        assertEquals(0x0, Huffman.code('0'));
        assertEquals(0x3, Huffman.code('a'));
        assertEquals(0x5c, Huffman.code(':'));
        assertEquals(0x7ffc, Huffman.code('<'));
        assertEquals(0xffffffe, Huffman.code(249));
        assertEquals(0x7ffffec, Huffman.code(250));
        assertEquals(0x3fffffff, Huffman.code(256));
        assertEquals(30, Huffman.length(256));
    }

    @Test
    void decodesTheRfcHuffmanStrings() throws Exception {
        assertEquals("www.example.com", huffman("f1e3c2e5f23a6ba0ab90f4ff"));
        assertEquals("no-cache", huffman("a8eb10649cbf"));
        assertEquals("custom-key", huffman("25a849e95ba97d7f"));
        assertEquals("custom-value", huffman("25a849e95bb8e8b4bf"));
        assertEquals("Mon, 21 Oct 2013 20:13:21 GMT", huffman("d07abe941054d444a8200595040b8166e082a62d1bff"));
    }

    @Test
    void refusesBadHuffmanPadding() {
        // "a" (00011) padded with zeros instead of EOS's ones
        assertThrows(Http2Exception.class, () -> huffman("18"));
        // a whole byte of padding
        assertThrows(Http2Exception.class, () -> huffman("1fff"));
        // EOS itself
        assertThrows(Http2Exception.class, () -> huffman("ffffffff"));
    }

    @Test
    void decodesTheRfcRequestSequenceWithItsDynamicTable() throws Exception {
        Hpack hpack = new Hpack();
        Map<String, String> first = decode(hpack, "828684410f7777772e6578616d706c652e636f6d");
        assertEquals(Map.of(":method", "GET", ":scheme", "http", ":path", "/", ":authority", "www.example.com"),
                first);
        assertEquals(1, hpack.dynamicEntries());

        Map<String, String> second = decode(hpack, "828684be58086e6f2d6361636865");
        assertEquals("www.example.com", second.get(":authority"), "index 62: the dynamic table's entry");
        assertEquals("no-cache", second.get("cache-control"));
        assertEquals(2, hpack.dynamicEntries());

        Map<String, String> third = decode(hpack,
                "828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565");
        assertEquals(Map.of(":method", "GET", ":scheme", "https", ":path", "/index.html",
                ":authority", "www.example.com", "custom-key", "custom-value"), third);
        assertEquals(3, hpack.dynamicEntries());
    }

    @Test
    void decodesHuffmanCodedLiterals() throws Exception {
        Map<String, String> h = decode(new Hpack(), "828684418cf1e3c2e5f23a6ba0ab90f4ff");
        assertEquals("www.example.com", h.get(":authority"));
    }

    @Test
    void aTableSizeUpdateEvicts() throws Exception {
        Hpack hpack = new Hpack();
        decode(hpack, "828684410f7777772e6578616d706c652e636f6d");
        assertEquals(1, hpack.dynamicEntries());
        decode(hpack, "20");
        assertEquals(0, hpack.dynamicEntries());
        assertThrows(Http2Exception.class, () -> decode(hpack, "be"), "index 62 is gone");
        // larger than the 4096 Kedge allows
        assertThrows(Http2Exception.class, () -> decode(hpack, "3fe21f"));
    }

    @Test
    void refusesTruncatedAndUnknownInput() {
        assertThrows(Http2Exception.class, () -> decode(new Hpack(), "41"));
        assertThrows(Http2Exception.class, () -> decode(new Hpack(), "410f7777"));
        assertThrows(Http2Exception.class, () -> decode(new Hpack(), "ff8080808008"));
        assertThrows(Http2Exception.class, () -> decode(new Hpack(), "80"));
    }

    @Test
    void encodesLiteralsThatDecodeBack() throws Exception {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(":path", "/runtime.v1.RuntimeService/Version");
        fields.put("x-long", "v".repeat(300));
        byte[] block = Hpack.encode(fields);
        assertEquals(0x00, block[0], "literal without indexing, new name");
        Map<String, String> back = new LinkedHashMap<>();
        Hpack decoder = new Hpack();
        decoder.decode(block, back);
        assertEquals(fields, back);
        assertEquals(0, decoder.dynamicEntries());
    }

    private static String huffman(String hex) throws Http2Exception {
        byte[] in = HexFormat.of().parseHex(hex);
        return new String(Huffman.decode(in, 0, in.length), StandardCharsets.ISO_8859_1);
    }

    private static Map<String, String> decode(Hpack hpack, String hex) throws Http2Exception {
        Map<String, String> into = new LinkedHashMap<>();
        hpack.decode(HexFormat.of().parseHex(hex), into);
        return into;
    }

    @Test
    void integersWithPrefixesRoundTrip() throws Exception {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        Hpack.writeInt(out, 0x00, 5, 1337);
        assertArrayEquals(HexFormat.of().parseHex("1f9a0a"), out.toByteArray(), "RFC 7541, C.1.2");
    }
}
