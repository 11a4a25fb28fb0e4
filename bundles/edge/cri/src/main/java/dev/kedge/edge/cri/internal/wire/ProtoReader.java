package dev.kedge.edge.cri.internal.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One protobuf message being read (proto3 wire format), field by field: {@link #next} moves to a field, then one
 * of the typed reads or {@link #skip} consumes its value. Reads never go past the message's bytes: truncated or
 * overlong input, a wire type other than the field's, and invalid UTF-8 fail with a {@link WireFormatException}.
 */
public final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;
    private static final long MAX_FIELD = (1 << 29) - 1;

    private final byte[] data;
    private final int end;
    private int position;
    private int field;
    private int wireType;

    public ProtoReader(byte[] data) {
        this(data, 0, data.length);
    }

    private ProtoReader(byte[] data, int from, int end) {
        this.data = data;
        this.position = from;
        this.end = end;
    }

    /** Moves to the next field; false at the end of the message. */
    public boolean next() throws WireFormatException {
        if (position == end) {
            return false;
        }
        int at = position;
        long tag = rawVarint();
        long number = tag >>> 3;
        if (number == 0 || number > MAX_FIELD) {
            throw new WireFormatException("invalid field number " + number + " at byte " + at);
        }
        field = (int) number;
        wireType = (int) (tag & 7);
        return true;
    }

    /** The current field's number. */
    public int field() {
        return field;
    }

    /** {@code int64}, {@code uint64} (as Java's signed long), {@code int32}/{@code uint32} widened, enums. */
    public long varint() throws WireFormatException {
        expect(VARINT);
        return rawVarint();
    }

    /** {@code int32}, {@code uint32} and enums: the low 32 bits, as protobuf truncates. */
    public int int32() throws WireFormatException {
        return (int) varint();
    }

    public boolean bool() throws WireFormatException {
        return varint() != 0;
    }

    public String string() throws WireFormatException {
        int length = length();
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, position, length)).toString();
            position += length;
            return s;
        } catch (CharacterCodingException e) {
            throw new WireFormatException("field " + field + ": invalid UTF-8 at byte " + position);
        }
    }

    public byte[] bytes() throws WireFormatException {
        int length = length();
        byte[] b = Arrays.copyOfRange(data, position, position + length);
        position += length;
        return b;
    }

    /** The nested message; this reader continues after it. */
    public ProtoReader message() throws WireFormatException {
        int length = length();
        ProtoReader nested = new ProtoReader(data, position, position + length);
        position += length;
        return nested;
    }

    /** Passes over the current field's value: the fields a newer runtime sends that Kedge does not read. */
    public void skip() throws WireFormatException {
        switch (wireType) {
            case VARINT -> rawVarint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            // proto2's groups: CRI (proto3) has none, so one here means the bytes are something else
            default -> throw new WireFormatException("field " + field + ": unsupported wire type " + wireType
                    + " at byte " + position);
        }
    }

    private int length() throws WireFormatException {
        expect(LENGTH_DELIMITED);
        int at = position;
        long length = rawVarint();
        if (length < 0 || length > end - position) {
            throw new WireFormatException("field " + field + ": length " + length + " at byte " + at
                    + " goes past the end of the message (" + (end - position) + " bytes left)");
        }
        return (int) length;
    }

    private void advance(int bytes) throws WireFormatException {
        if (bytes > end - position) {
            throw new WireFormatException("field " + field + ": truncated value at byte " + position);
        }
        position += bytes;
    }

    private void expect(int type) throws WireFormatException {
        if (wireType != type) {
            throw new WireFormatException("field " + field + ": wire type " + wireType + ", expected " + type);
        }
    }

    private long rawVarint() throws WireFormatException {
        int at = position;
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position == end) {
                throw new WireFormatException("truncated varint at byte " + at);
            }
            byte b = data[position++];
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new WireFormatException("varint longer than 10 bytes at byte " + at);
    }
}
