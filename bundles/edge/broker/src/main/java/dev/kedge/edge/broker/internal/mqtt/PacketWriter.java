package dev.kedge.edge.broker.internal.mqtt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Encodes MQTT 3.1.1 packets: the broker's own (CONNACK, PUBLISH, acks...), and the clients' for tests. */
public final class PacketWriter {
    private PacketWriter() {
    }

    public static byte[] encode(Packet p) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int flags = 0;
        if (p instanceof Packet.Connect c) {
            connect(c, body);
        } else if (p instanceof Packet.ConnAck a) {
            body.write(a.sessionPresent() ? 1 : 0);
            body.write(a.returnCode());
        } else if (p instanceof Packet.Publish pub) {
            flags = (pub.dup() ? 0x08 : 0) | pub.qos() << 1 | (pub.retain() ? 1 : 0);
            string(body, pub.topic());
            if (pub.qos() > 0) {
                u16(body, pub.packetId());
            }
            body.writeBytes(pub.payload());
        } else if (p instanceof Packet.Ack a) {
            flags = a.type() == Packet.PUBREL ? 2 : 0;
            u16(body, a.packetId());
        } else if (p instanceof Packet.Subscribe s) {
            flags = 2;
            u16(body, s.packetId());
            for (Packet.Subscription sub : s.subscriptions()) {
                string(body, sub.filter());
                body.write(sub.qos());
            }
        } else if (p instanceof Packet.SubAck s) {
            u16(body, s.packetId());
            s.returnCodes().forEach(body::write);
        } else if (p instanceof Packet.Unsubscribe u) {
            flags = 2;
            u16(body, u.packetId());
            u.filters().forEach(f -> string(body, f));
        } // Empty: no body
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 5);
        out.write(p.type() << 4 | flags);
        remainingLength(out, b.length);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static void connect(Packet.Connect c, ByteArrayOutputStream body) {
        string(body, c.protocolName());
        body.write(c.level());
        Packet.Will w = c.will();
        int flags = (c.cleanSession() ? 0x02 : 0) | (w == null ? 0 : 0x04 | w.qos() << 3 | (w.retain() ? 0x20 : 0))
                | (c.password() == null ? 0 : 0x40) | (c.username() == null ? 0 : 0x80);
        body.write(flags);
        u16(body, c.keepAliveSeconds());
        string(body, c.clientId());
        if (w != null) {
            string(body, w.topic());
            binary(body, w.payload());
        }
        if (c.username() != null) {
            string(body, c.username());
        }
        if (c.password() != null) {
            binary(body, c.password());
        }
    }

    /** The variable-length remaining length (at most {@link PacketReader#MAX_REMAINING_LENGTH}). */
    static void remainingLength(ByteArrayOutputStream out, int length) {
        if (length < 0 || length > PacketReader.MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("remaining length " + length);
        }
        do {
            int digit = length & 0x7f;
            length >>>= 7;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >> 8 & 0xff);
        out.write(v & 0xff);
    }

    private static void string(ByteArrayOutputStream out, String s) {
        binary(out, s.getBytes(StandardCharsets.UTF_8));
    }

    private static void binary(ByteArrayOutputStream out, byte[] b) {
        if (b.length > 0xffff) {
            throw new IllegalArgumentException("string or binary of " + b.length + " bytes, at most 65535");
        }
        u16(out, b.length);
        out.writeBytes(b);
    }
}
