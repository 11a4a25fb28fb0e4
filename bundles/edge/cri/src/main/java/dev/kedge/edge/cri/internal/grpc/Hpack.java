package dev.kedge.edge.cri.internal.grpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * HPACK (RFC 7541) for one HTTP/2 connection. Decoding keeps the dynamic table the runtime's encoder fills; encoding
 * writes every field as a literal without indexing and without Huffman, so the runtime's decoder keeps no state of
 * ours. Header strings are bytes: they are kept as ISO-8859-1 text, one char per byte.
 */
final class Hpack {
    /** The table size Kedge allows (the HTTP/2 default; Kedge does not announce another). */
    static final int TABLE_SIZE = 4096;
    /** The static table (RFC 7541, Appendix A), name and value; index 1 is entry 0. */
    private static final String[][] STATIC = {
        {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
        {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
        {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
        {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
        {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""},
        {"cache-control", ""}, {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""},
        {"content-length", ""}, {"content-location", ""}, {"content-range", ""}, {"content-type", ""},
        {"cookie", ""}, {"date", ""}, {"etag", ""}, {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""},
        {"if-match", ""}, {"if-modified-since", ""}, {"if-none-match", ""}, {"if-range", ""},
        {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""}, {"location", ""}, {"max-forwards", ""},
        {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""}, {"referer", ""}, {"refresh", ""},
        {"retry-after", ""}, {"server", ""}, {"set-cookie", ""}, {"strict-transport-security", ""},
        {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""}, {"www-authenticate", ""},
    };
    /** An entry's size counts 32 octets beyond its name and value (RFC 7541, 4.1). */
    private static final int ENTRY_OVERHEAD = 32;

    /** Newest first. */
    private final ArrayDeque<String[]> dynamic = new ArrayDeque<>();
    private int dynamicSize;
    private int maxSize = TABLE_SIZE;

    /** Header fields Kedge sends: literal, never indexed by us, never Huffman-coded. */
    static byte[] encode(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        fields.forEach((name, value) -> {
            out.write(0x00);
            writeString(out, name);
            writeString(out, value);
        });
        return out.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
        writeInt(out, 0x00, 7, bytes.length);
        out.write(bytes, 0, bytes.length);
    }

    /** An integer with an N-bit prefix (RFC 7541, 5.1); {@code flags} fills the bits above the prefix. */
    static void writeInt(ByteArrayOutputStream out, int flags, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            out.write(flags | value);
            return;
        }
        out.write(flags | max);
        value -= max;
        while (value >= 0x80) {
            out.write((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }

    /** Decodes one complete header block into {@code into} (name to value; a repeated name keeps the last). */
    void decode(byte[] block, Map<String, String> into) throws Http2Exception {
        Reader r = new Reader(block);
        boolean fieldSeen = false;
        while (r.pos < block.length) {
            int b = block[r.pos] & 0xff;
            if ((b & 0x80) != 0) {
                String[] entry = entry(r.readInt(7));
                into.put(entry[0], entry[1]);
                fieldSeen = true;
            } else if ((b & 0x40) != 0) {
                int index = r.readInt(6);
                String name = index == 0 ? r.readString() : entry(index)[0];
                String value = r.readString();
                add(name, value);
                into.put(name, value);
                fieldSeen = true;
            } else if ((b & 0x20) != 0) {
                if (fieldSeen) {
                    throw new Http2Exception("HPACK: table size update after a header field");
                }
                int size = r.readInt(5);
                if (size > TABLE_SIZE) {
                    throw new Http2Exception("HPACK: table size " + size + " above the allowed " + TABLE_SIZE);
                }
                maxSize = size;
                evict();
            } else {
                // literal without indexing (0000) or never indexed (0001): the same to a client
                int index = r.readInt(4);
                String name = index == 0 ? r.readString() : entry(index)[0];
                into.put(name, r.readString());
                fieldSeen = true;
            }
        }
    }

    private String[] entry(int index) throws Http2Exception {
        if (index >= 1 && index <= STATIC.length) {
            return STATIC[index - 1];
        }
        int d = index - STATIC.length - 1;
        if (index < 1 || d >= dynamic.size()) {
            throw new Http2Exception("HPACK: no table entry " + index);
        }
        Iterator<String[]> it = dynamic.iterator();
        for (int i = 0; i < d; i++) {
            it.next();
        }
        return it.next();
    }

    private void add(String name, String value) {
        int size = name.length() + value.length() + ENTRY_OVERHEAD;
        if (size > maxSize) {
            // an entry larger than the table empties it and is not added (RFC 7541, 4.4)
            dynamic.clear();
            dynamicSize = 0;
            return;
        }
        dynamic.addFirst(new String[] {name, value});
        dynamicSize += size;
        evict();
    }

    private void evict() {
        while (dynamicSize > maxSize) {
            String[] oldest = dynamic.removeLast();
            dynamicSize -= oldest[0].length() + oldest[1].length() + ENTRY_OVERHEAD;
        }
    }

    int dynamicEntries() {
        return dynamic.size();
    }

    /** Reads integers and strings of a header block, failing cleanly on a truncated one. */
    private static final class Reader {
        private final byte[] in;
        int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        int readInt(int prefixBits) throws Http2Exception {
            int max = (1 << prefixBits) - 1;
            int value = next() & max;
            if (value < max) {
                return value;
            }
            for (int shift = 0; shift <= 21; shift += 7) {
                int b = next();
                value += (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new Http2Exception("HPACK: integer too large");
        }

        String readString() throws Http2Exception {
            if (pos >= in.length) {
                throw new Http2Exception("HPACK: truncated header block");
            }
            boolean huffman = (in[pos] & 0x80) != 0;
            int length = readInt(7);
            if (length > in.length - pos) {
                throw new Http2Exception("HPACK: string beyond the header block");
            }
            byte[] bytes = huffman ? Huffman.decode(in, pos, length) : Arrays.copyOfRange(in, pos, pos + length);
            pos += length;
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }

        private int next() throws Http2Exception {
            if (pos >= in.length) {
                throw new Http2Exception("HPACK: truncated header block");
            }
            return in[pos++] & 0xff;
        }
    }
}
