package dev.kedge.edge.cri.internal.grpc;

import java.io.ByteArrayOutputStream;

/**
 * HPACK's Huffman code (RFC 7541, Appendix B), decoding only: Kedge sends its few header strings raw, but a runtime
 * may Huffman-code what it sends (grpc-go does whenever it is shorter). The code is canonical, so the bit length of
 * each symbol is all the table needs; the codes follow from the lengths.
 */
final class Huffman {
    /** Bit length of the code of each byte value, then of EOS (256). */
    private static final byte[] LENGTHS = {
        13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
        28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
        6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
        5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
        13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
        7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
        15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
        6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
        20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
        24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
        22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
        21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
        26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
        19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
        20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
        26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
        30,
    };
    private static final int EOS = 256;
    private static final int MAX_LENGTH = 30;

    /** Per length: the first code, the number of codes, where its symbols start in {@link #SYMBOLS}. */
    private static final int[] FIRST_CODE = new int[MAX_LENGTH + 1];
    private static final int[] COUNT = new int[MAX_LENGTH + 1];
    private static final int[] FIRST_INDEX = new int[MAX_LENGTH + 1];
    /** Symbols ordered by code length, then by value: the canonical order of their codes. */
    private static final int[] SYMBOLS = new int[LENGTHS.length];

    static {
        for (byte length : LENGTHS) {
            COUNT[length]++;
        }
        int code = 0;
        int index = 0;
        for (int length = 1; length <= MAX_LENGTH; length++) {
            FIRST_CODE[length] = code;
            FIRST_INDEX[length] = index;
            for (int symbol = 0; symbol < LENGTHS.length; symbol++) {
                if (LENGTHS[symbol] == length) {
                    SYMBOLS[index++] = symbol;
                }
            }
            code = (code + COUNT[length]) << 1;
        }
    }

    private Huffman() {
    }

    /** The code of {@code symbol}, right-aligned (for tests against the RFC's table). */
    static int code(int symbol) {
        int length = LENGTHS[symbol];
        for (int i = FIRST_INDEX[length]; ; i++) {
            if (SYMBOLS[i] == symbol) {
                return FIRST_CODE[length] + i - FIRST_INDEX[length];
            }
        }
    }

    static int length(int symbol) {
        return LENGTHS[symbol];
    }

    /**
     * Decodes {@code length} bytes from {@code offset}. The padding must be a prefix of EOS shorter than a byte
     * (RFC 7541, 5.2); EOS itself must not appear.
     */
    static byte[] decode(byte[] in, int offset, int length) throws Http2Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(length * 8 / 5 + 1);
        int code = 0;
        int bits = 0;
        for (int i = offset; i < offset + length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                code = (code << 1) | ((in[i] >> bit) & 1);
                bits++;
                int rank = code - FIRST_CODE[bits];
                if (COUNT[bits] > 0 && rank >= 0 && rank < COUNT[bits]) {
                    int symbol = SYMBOLS[FIRST_INDEX[bits] + rank];
                    if (symbol == EOS) {
                        throw new Http2Exception("HPACK: EOS inside a Huffman-coded string");
                    }
                    out.write(symbol);
                    code = 0;
                    bits = 0;
                } else if (bits == MAX_LENGTH) {
                    throw new Http2Exception("HPACK: invalid Huffman code");
                }
            }
        }
        if (bits > 7 || code != (1 << bits) - 1) {
            throw new Http2Exception("HPACK: invalid Huffman padding");
        }
        return out.toByteArray();
    }
}
