package dev.kedge.edge.broker.internal.mqtt;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads MQTT 3.1.1 packets from a stream, strictly: a reserved flag set, a bad length, invalid UTF-8 or a wildcard
 * in a PUBLISH topic is a {@link MalformedPacketException}; a remaining length above the limit an
 * {@link OversizePacketException}, thrown before the body is read.
 */
public final class PacketReader {
    /** The largest remaining length four length bytes can carry. */
    public static final int MAX_REMAINING_LENGTH = 268_435_455;

    private final InputStream in;
    private final int maxRemainingLength;

    public PacketReader(InputStream in, int maxRemainingLength) {
        this.in = in;
        this.maxRemainingLength = maxRemainingLength;
    }

    /** The next packet; EOFException when the stream ends between packets or within one. */
    public Packet read() throws IOException {
        int first = in.read();
        if (first < 0) {
            throw new EOFException("connection closed");
        }
        int length = remainingLength(in);
        if (length > maxRemainingLength) {
            throw new OversizePacketException(length, maxRemainingLength);
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed within a packet");
        }
        return decode(first, body);
    }

    /** The variable-length "remaining length": 1 to 4 bytes, 7 bits each, least significant first. */
    static int remainingLength(InputStream in) throws IOException {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed within a fixed header");
            }
            value |= (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new MalformedPacketException("remaining length longer than 4 bytes");
    }

    /** Decodes one packet from its first byte and its body (the bytes after the remaining length). */
    public static Packet decode(int first, byte[] body) throws MalformedPacketException {
        int type = (first >> 4) & 0x0f;
        int flags = first & 0x0f;
        Body b = new Body(body);
        if (type != Packet.PUBLISH) { // PUBREL, SUBSCRIBE and UNSUBSCRIBE have 0010, the others 0000
            int required = type == Packet.PUBREL || type == Packet.SUBSCRIBE || type == Packet.UNSUBSCRIBE ? 2 : 0;
            if (flags != required) {
                throw new MalformedPacketException("fixed header flags " + flags + " in packet type " + type);
            }
        }
        Packet p = switch (type) {
            case Packet.CONNECT -> connect(b);
            case Packet.CONNACK -> connAck(b);
            case Packet.PUBLISH -> publish(flags, b);
            case Packet.PUBACK, Packet.PUBREC, Packet.PUBREL, Packet.PUBCOMP, Packet.UNSUBACK ->
                    new Packet.Ack(type, b.packetId());
            case Packet.SUBSCRIBE -> subscribe(b);
            case Packet.SUBACK -> subAck(b);
            case Packet.UNSUBSCRIBE -> unsubscribe(b);
            case Packet.PINGREQ, Packet.PINGRESP, Packet.DISCONNECT -> new Packet.Empty(type);
            default -> throw new MalformedPacketException("reserved packet type " + type);
        };
        if (b.remaining() != 0) {
            throw new MalformedPacketException(b.remaining() + " bytes left over in packet type " + type);
        }
        return p;
    }

    private static Packet connect(Body b) throws MalformedPacketException {
        String name = b.string();
        int level = b.u8();
        if (!("MQTT".equals(name) && level == 4 || "MQIsdp".equals(name) && level == 3)) {
            b.skipRest(); // answered with CONNACK 0x01: what follows may be laid out differently
            return new Packet.Connect(name, level, false, 0, null, null, null, null);
        }
        int flags = b.u8();
        if ((flags & 0x01) != 0) {
            throw new MalformedPacketException("CONNECT reserved flag set");
        }
        boolean clean = (flags & 0x02) != 0;
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (willQos == 3 || !willFlag && (willQos != 0 || willRetain)) {
            throw new MalformedPacketException("CONNECT will QoS " + willQos + " / retain without a will");
        }
        if (passwordFlag && !usernameFlag && level == 4) {
            throw new MalformedPacketException("CONNECT password without a username");
        }
        int keepAlive = b.u16();
        String clientId = b.string();
        Packet.Will will = null;
        if (willFlag) {
            String topic = b.string();
            Topics.requireTopicName(topic);
            will = new Packet.Will(topic, b.binary(), willQos, willRetain);
        }
        String username = usernameFlag ? b.string() : null;
        byte[] password = passwordFlag ? b.binary() : null;
        return new Packet.Connect(name, level, clean, keepAlive, clientId, will, username, password);
    }

    private static Packet connAck(Body b) throws MalformedPacketException {
        int ackFlags = b.u8();
        if ((ackFlags & 0xfe) != 0) {
            throw new MalformedPacketException("CONNACK reserved flags set");
        }
        return new Packet.ConnAck((ackFlags & 1) != 0, b.u8());
    }

    private static Packet publish(int flags, Body b) throws MalformedPacketException {
        int qos = (flags >> 1) & 0x03;
        boolean dup = (flags & 0x08) != 0;
        if (qos == 3) {
            throw new MalformedPacketException("PUBLISH QoS 3");
        }
        if (qos == 0 && dup) {
            throw new MalformedPacketException("PUBLISH QoS 0 with DUP set");
        }
        String topic = b.string();
        Topics.requireTopicName(topic);
        int packetId = qos == 0 ? 0 : b.packetId();
        return new Packet.Publish(topic, packetId, b.rest(), qos, (flags & 0x01) != 0, dup);
    }

    private static Packet subscribe(Body b) throws MalformedPacketException {
        int id = b.packetId();
        List<Packet.Subscription> subs = new ArrayList<>();
        while (b.remaining() > 0) {
            String filter = b.string();
            int options = b.u8();
            if ((options & 0xfc) != 0 || (options & 0x03) == 3) {
                throw new MalformedPacketException("SUBSCRIBE requested QoS byte " + options);
            }
            subs.add(new Packet.Subscription(filter, options));
        }
        if (subs.isEmpty()) {
            throw new MalformedPacketException("SUBSCRIBE without a topic filter");
        }
        return new Packet.Subscribe(id, subs);
    }

    private static Packet subAck(Body b) throws MalformedPacketException {
        int id = b.packetId();
        List<Integer> codes = new ArrayList<>();
        while (b.remaining() > 0) {
            codes.add(b.u8());
        }
        return new Packet.SubAck(id, codes);
    }

    private static Packet unsubscribe(Body b) throws MalformedPacketException {
        int id = b.packetId();
        List<String> filters = new ArrayList<>();
        while (b.remaining() > 0) {
            filters.add(b.string());
        }
        if (filters.isEmpty()) {
            throw new MalformedPacketException("UNSUBSCRIBE without a topic filter");
        }
        return new Packet.Unsubscribe(id, filters);
    }

    /** A cursor over a packet body; every read checks the bounds. */
    private static final class Body {
        private final byte[] bytes;
        private int pos;

        Body(byte[] bytes) {
            this.bytes = bytes;
        }

        int remaining() {
            return bytes.length - pos;
        }

        int u8() throws MalformedPacketException {
            need(1);
            return bytes[pos++] & 0xff;
        }

        int u16() throws MalformedPacketException {
            need(2);
            int v = (bytes[pos] & 0xff) << 8 | bytes[pos + 1] & 0xff;
            pos += 2;
            return v;
        }

        int packetId() throws MalformedPacketException {
            int id = u16();
            if (id == 0) {
                throw new MalformedPacketException("packet identifier 0");
            }
            return id;
        }

        byte[] binary() throws MalformedPacketException {
            int n = u16();
            need(n);
            byte[] v = Arrays.copyOfRange(bytes, pos, pos + n);
            pos += n;
            return v;
        }

        /** A length-prefixed UTF-8 string: well-formed, without U+0000 (MQTT 3.1.1 section 1.5.3). */
        String string() throws MalformedPacketException {
            int n = u16();
            need(n);
            String s;
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes, pos, n)).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedPacketException("invalid UTF-8 string");
            }
            if (s.indexOf('\u0000') >= 0) {
                throw new MalformedPacketException("U+0000 in a string");
            }
            pos += n;
            return s;
        }

        byte[] rest() {
            byte[] v = Arrays.copyOfRange(bytes, pos, bytes.length);
            pos = bytes.length;
            return v;
        }

        void skipRest() {
            pos = bytes.length;
        }

        private void need(int n) throws MalformedPacketException {
            if (remaining() < n) {
                throw new MalformedPacketException("packet ends " + (n - remaining()) + " bytes early");
            }
        }
    }
}
