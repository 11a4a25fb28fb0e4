package dev.kedge.edge.cri.internal.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One protobuf message being written (proto3 wire format). Scalars equal to their default (0, false, "") are left
 * out, as protoc's code does; a message given to {@link #message} is always written, since an empty nested message
 * still means "set" (e.g. {@code run_as_user} 0 is root, not "the image's user").
 */
public final class ProtoWriter {
    private byte[] buffer = new byte[64];
    private int size;

    /** {@code string}. */
    public ProtoWriter string(int field, String value) {
        if (value != null && !value.isEmpty()) {
            lengthDelimited(field, value.getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** {@code repeated string}: every element, empty ones too (their position is the value). */
    public ProtoWriter strings(int field, List<String> values) {
        for (String v : values) {
            lengthDelimited(field, (v == null ? "" : v).getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** {@code bool}. */
    public ProtoWriter bool(int field, boolean value) {
        if (value) {
            tag(field, ProtoReader.VARINT);
            varint(1);
        }
        return this;
    }

    /** {@code int64}, {@code int32} and enums: a negative value takes ten bytes (sign-extended to 64 bits). */
    public ProtoWriter int64(int field, long value) {
        if (value != 0) {
            tag(field, ProtoReader.VARINT);
            varint(value);
        }
        return this;
    }

    /** {@code uint32}: the int's 32 bits, unsigned. */
    public ProtoWriter uint32(int field, int value) {
        return int64(field, Integer.toUnsignedLong(value));
    }

    /** A nested message, written even when empty. */
    public ProtoWriter message(int field, ProtoWriter message) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        varint(message.size);
        append(message.buffer, message.size);
        return this;
    }

    /** {@code map<string, string>}: one entry message per pair (key = 1, value = 2); null counts as "". */
    public ProtoWriter map(int field, Map<String, String> entries) {
        for (Map.Entry<String, String> e : entries.entrySet()) {
            message(field, new ProtoWriter().string(1, e.getKey()).string(2, e.getValue()));
        }
        return this;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void lengthDelimited(int field, byte[] bytes) {
        tag(field, ProtoReader.LENGTH_DELIMITED);
        varint(bytes.length);
        append(bytes, bytes.length);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        ensure(10);
        long v = value;
        while ((v & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buffer[size++] = (byte) v;
    }

    private void append(byte[] bytes, int length) {
        ensure(length);
        System.arraycopy(bytes, 0, buffer, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (buffer.length - size < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
