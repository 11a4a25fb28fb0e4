package dev.kedge.edge.hub.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * Joins the parts of one WebSocket data message (the JDK hands them over as they arrive, with a {@code last} flag)
 * and refuses messages above a byte bound without buffering them: a message over the bound is skipped to its end.
 * One instance per connection, used from the listener's one-at-a-time delivery.
 */
final class FrameAssembler {
    /** A message larger than the bound; thrown once, with its last part. */
    static final class TooLarge extends Exception {
        private static final long serialVersionUID = 1L;

        TooLarge(long bytes, int max) {
            super("frame of " + bytes + " bytes exceeds the " + max + "-byte bound");
        }
    }

    private static final int KEEP = 64 * 1024;
    private final int maxBytes;
    private StringBuilder text = new StringBuilder();
    private ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private long bytes;
    private boolean skipping;

    FrameAssembler(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The whole text message when {@code last}, else null. */
    String appendText(CharSequence part, boolean last) throws TooLarge {
        if (count(utf8Length(part))) {
            text.append(part);
        }
        if (!last) {
            return null;
        }
        finish();
        String message = text.toString();
        text = text.capacity() > KEEP ? new StringBuilder() : text.delete(0, text.length());
        return message;
    }

    /** The whole binary message when {@code last}, else null (KubeEdge sends text, but gorilla accepts both). */
    byte[] appendBinary(ByteBuffer part, boolean last) throws TooLarge {
        if (count(part.remaining())) {
            byte[] chunk = new byte[part.remaining()];
            part.get(chunk);
            binary.write(chunk, 0, chunk.length);
        }
        if (!last) {
            return null;
        }
        finish();
        byte[] message = binary.toByteArray();
        binary = binary.size() > KEEP ? new ByteArrayOutputStream() : binary;
        binary.reset();
        return message;
    }

    /** Adds to the running size; false once the message is over the bound (its buffer is dropped right away). */
    private boolean count(long partBytes) {
        bytes += partBytes;
        if (!skipping && bytes > maxBytes) {
            skipping = true;
            text = new StringBuilder();
            binary = new ByteArrayOutputStream();
        }
        return !skipping;
    }

    private void finish() throws TooLarge {
        long size = bytes;
        bytes = 0;
        if (skipping) {
            skipping = false;
            throw new TooLarge(size, maxBytes);
        }
    }

    static long utf8Length(CharSequence s) {
        long n = 0;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair = 4
        }
        return n;
    }
}
