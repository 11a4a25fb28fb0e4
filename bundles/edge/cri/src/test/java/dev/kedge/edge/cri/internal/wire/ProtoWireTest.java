package dev.kedge.edge.cri.internal.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/** Kedge's wire codec against protobuf-java's own writer and reader, byte for byte, and its refusals. */
class ProtoWireTest {

    /** Bytes as protobuf-java's CodedOutputStream writes them. */
    private interface Coded {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] coded(Coded c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        c.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void varintsAreWrittenAsProtobufJavaWritesThem() throws IOException {
        long[] values = {1, -1, 127, 128, 300, 16_383, 16_384, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE,
            Long.MIN_VALUE, -998, 1L << 35};
        for (long v : values) {
            assertArrayEquals(coded(o -> o.writeInt64(3, v)), new ProtoWriter().int64(3, v).toByteArray(), "" + v);
        }
        // int32 and enums are sign-extended: ten bytes for a negative one, as protobuf-java does
        assertArrayEquals(coded(o -> o.writeInt32(7, -5)), new ProtoWriter().int64(7, -5).toByteArray());
        assertEquals(11, new ProtoWriter().int64(1, -5).toByteArray().length);
        assertArrayEquals(coded(o -> o.writeUInt32(4, -1)), new ProtoWriter().uint32(4, -1).toByteArray());
        assertArrayEquals(coded(o -> o.writeBool(2, true)), new ProtoWriter().bool(2, true).toByteArray());
        // a large field number: a five-byte tag
        assertArrayEquals(coded(o -> o.writeInt64(536_870_911, 9)),
                new ProtoWriter().int64(536_870_911, 9).toByteArray());
    }

    @Test
    void defaultsAreLeftOutButEmptyMessagesAndRepeatedEmptiesAreWritten() throws IOException {
        assertEquals(0, new ProtoWriter().int64(1, 0).bool(2, false).string(3, "").string(4, null).uint32(5, 0)
                .strings(6, List.of()).map(7, Map.of()).toByteArray().length);
        assertArrayEquals(bytes(0x12, 0x00), new ProtoWriter().message(2, new ProtoWriter()).toByteArray());
        assertArrayEquals(coded(o -> {
            o.writeString(3, "");
            o.writeString(3, "a");
        }), new ProtoWriter().strings(3, Arrays.asList("", "a")).toByteArray());
    }

    @Test
    void textIsUtf8AndLongLengthsTakeSeveralBytes() throws IOException {
        String text = "ü€😀 x";
        assertArrayEquals(coded(o -> o.writeString(1, text)), new ProtoWriter().string(1, text).toByteArray());
        String big = "y".repeat(3 * 1024 * 1024 + 7);
        byte[] written = new ProtoWriter().string(5, big).toByteArray();
        assertArrayEquals(coded(o -> o.writeString(5, big)), written);
        ProtoReader r = new ProtoReader(written);
        assertTrue(r.next());
        assertEquals(big, r.string());
        assertFalse(r.next());
    }

    @Test
    void mapEntriesAreKeyOneValueTwo() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("a", "1");
        m.put("", "empty key");
        m.put("k", "");
        ProtoReader r = new ProtoReader(new ProtoWriter().map(6, m).toByteArray());
        Map<String, String> read = new LinkedHashMap<>();
        while (r.next()) {
            assertEquals(6, r.field());
            ProtoReader entry = r.message();
            String key = "";
            String value = "";
            while (entry.next()) {
                if (entry.field() == 1) {
                    key = entry.string();
                } else {
                    assertEquals(2, entry.field());
                    value = entry.string();
                }
            }
            read.put(key, value);
        }
        assertEquals(m, read);
    }

    @Test
    void readsWhatProtobufJavaWritesAndSkipsEveryOtherWireType() throws IOException {
        byte[] b = coded(o -> {
            o.writeFixed32(5, 0xCAFE);
            o.writeFixed64(6, -2L);
            o.writeInt64(7, Long.MIN_VALUE);
            o.writeInt32(8, -5);
            o.writeUInt32(9, -1);
            o.writeBytes(10, ByteString.copyFrom(new byte[300]));
            o.writeUInt64(11, -1L);
            o.writeString(1, "kept");
            o.writeBool(12, true);
        });
        ProtoReader r = new ProtoReader(b);
        List<Object> seen = new ArrayList<>();
        while (r.next()) {
            switch (r.field()) {
                case 7 -> seen.add(r.varint());
                case 8 -> seen.add(r.int32());
                case 9 -> seen.add(r.int32());
                case 11 -> seen.add(r.varint());
                case 1 -> seen.add(r.string());
                case 12 -> seen.add(r.bool());
                default -> r.skip();
            }
        }
        assertEquals(List.of(Long.MIN_VALUE, -5, -1, -1L, "kept", true), seen);
    }

    @Test
    void bytesAreCopiedOut() throws IOException {
        byte[] payload = {0, 1, (byte) 0xFF};
        ProtoReader r = new ProtoReader(coded(o -> o.writeBytes(1, ByteString.copyFrom(payload))));
        assertTrue(r.next());
        assertArrayEquals(payload, r.bytes());
    }

    @Test
    void malformedInputFailsClearly() {
        assertRefused("truncated varint", bytes(0x10, 0x80));
        assertRefused("truncated varint", bytes(0x80));
        assertRefused("longer than 10 bytes", bytes(0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
                0x01));
        assertRefused("goes past the end", bytes(0x0A, 0x05, 'a'));
        // a length of -1 (ten-byte varint)
        assertRefused("length -1", bytes(0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
        assertRefused("length 4294967295", bytes(0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
        // field 2 of each wire type, skipped as unknown
        assertRefused("truncated value", bytes(0x11, 1, 2, 3));
        assertRefused("truncated value", bytes(0x15, 1, 2));
        assertRefused("unsupported wire type 3", bytes(0x13, 0x08, 0x01, 0x14));
        assertRefused("unsupported wire type 4", bytes(0x14));
        assertRefused("unsupported wire type 6", bytes(0x16, 0x00));
        assertRefused("unsupported wire type 7", bytes(0x17, 0x00));
        assertRefused("invalid field number 0", bytes(0x00, 0x01));
        assertRefused("invalid UTF-8", bytes(0x0A, 0x01, 0xFF));
        // field 1 read as a string, field 7 as a varint: another wire type is another schema
        assertRefused("field 1: wire type 0, expected 2", bytes(0x08, 0x01));
        assertRefused("field 7: wire type 2, expected 0", bytes(0x3A, 0x00), 7);
    }

    @Test
    void aNestedMessageEndsAtItsLength() throws WireFormatException {
        // the nested message is one byte long: its varint must not run on into the outer message's bytes
        ProtoReader outer = new ProtoReader(bytes(0x0A, 0x01, 0x08, 0x10, 0x01));
        assertTrue(outer.next());
        ProtoReader nested = outer.message();
        assertTrue(nested.next());
        WireFormatException e = assertThrows(WireFormatException.class, nested::varint);
        assertTrue(e.getMessage().contains("truncated varint"), e.getMessage());
        // and the outer one continues after it
        assertTrue(outer.next());
        assertEquals(2, outer.field());
        assertEquals(1, outer.varint());
        assertFalse(outer.next());
    }

    @Test
    void protobufJavaRefusesWhatWeRefuse() {
        // the same truncated and overlong inputs are invalid for protobuf-java too (its reader as the reference)
        for (byte[] b : List.of(bytes(0x08, 0x80), bytes(0x0A, 0x05, 'a'), bytes(0x09, 1, 2, 3),
                bytes(0x08, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01))) {
            assertThrows(IOException.class, () -> {
                CodedInputStream in = CodedInputStream.newInstance(b);
                for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                    if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                        in.readBytes();
                    } else {
                        in.skipField(tag);
                    }
                }
            }, Arrays.toString(b));
        }
    }

    private static void assertRefused(String why, byte[] input) {
        assertRefused(why, input, -1);
    }

    /** Reads every field as a string (or as a varint where {@code varintField}), as a decoder would. */
    private static void assertRefused(String why, byte[] input, int varintField) {
        WireFormatException e = assertThrows(WireFormatException.class, () -> {
            ProtoReader r = new ProtoReader(input);
            while (r.next()) {
                if (r.field() == 1) {
                    r.string();
                } else if (r.field() == varintField) {
                    r.varint();
                } else {
                    r.skip();
                }
            }
        }, why);
        assertTrue(e.getMessage().contains(why), "expected \"" + why + "\" in: " + e.getMessage());
    }
}
