package dev.kedge.edge.cri.internal.grpc;

import java.util.Arrays;

/** One received HTTP/2 frame (RFC 9113, 4.1), its payload copied out of the read buffer. */
record Frame(int type, int flags, int stream, byte[] payload) {
    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PUSH_PROMISE = 0x5;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;
    static final int WINDOW_UPDATE = 0x8;
    static final int CONTINUATION = 0x9;

    static final int END_STREAM = 0x1;
    static final int ACK = 0x1;
    static final int END_HEADERS = 0x4;
    static final int PADDED = 0x8;
    static final int PRIORITY_FLAG = 0x20;

    static final int SETTINGS_ENABLE_PUSH = 0x2;
    static final int SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;

    /** The largest frame either side may send before announcing more (RFC 9113, 4.2). */
    static final int DEFAULT_MAX_FRAME_SIZE = 16_384;
    static final int DEFAULT_WINDOW = 65_535;
    static final int MAX_WINDOW = Integer.MAX_VALUE;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** The payload without the padding a PADDED frame carries (and HEADERS' priority fields). */
    byte[] content() throws Http2Exception {
        int start = 0;
        int end = payload.length;
        if (has(PADDED) && (type == DATA || type == HEADERS)) {
            if (end < 1 || (payload[0] & 0xff) >= end) {
                throw new Http2Exception("padding longer than the frame");
            }
            start = 1;
            end -= payload[0] & 0xff;
        }
        if (type == HEADERS && has(PRIORITY_FLAG)) {
            start += 5;
        }
        if (start > end) {
            throw new Http2Exception("frame too short for its flags");
        }
        return start == 0 && end == payload.length ? payload : Arrays.copyOfRange(payload, start, end);
    }

    int int32(int offset) {
        return ((payload[offset] & 0xff) << 24) | ((payload[offset + 1] & 0xff) << 16)
                | ((payload[offset + 2] & 0xff) << 8) | (payload[offset + 3] & 0xff);
    }
}
