package dev.kedge.edge.broker.internal.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The packet codec against hand-written bytes from the MQTT 3.1.1 spec's layouts, and the round trip. */
class PacketCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    private static Packet read(byte[] bytes, int max) throws IOException {
        return new PacketReader(new ByteArrayInputStream(bytes), max).read();
    }

    private static Packet read(String hex) throws IOException {
        return read(HEX.parseHex(hex), 1 << 20);
    }

    private static Packet roundTrip(Packet p) throws IOException {
        return read(PacketWriter.encode(p), PacketReader.MAX_REMAINING_LENGTH);
    }

    @Test
    void connectDecodesFromTheSpecLayoutAndRoundTrips() throws IOException {
        // "MQTT" level 4, flags: username, password, will retain, will QoS 1, will, clean; keep-alive 60
        String hex = "10" + "22" + "00044d515454" + "04" + "ee" + "003c" + "0003" + "633131"
                + "0003" + "772f74" + "0002" + "6279" + "0004" + "75736572" + "0002" + "7077";
        Packet.Connect c = (Packet.Connect) read(hex);
        assertEquals("MQTT", c.protocolName());
        assertEquals(4, c.level());
        assertTrue(c.supported());
        assertTrue(c.cleanSession());
        assertEquals(60, c.keepAliveSeconds());
        assertEquals("c11", c.clientId());
        assertEquals("w/t", c.will().topic());
        assertArrayEquals("by".getBytes(StandardCharsets.UTF_8), c.will().payload());
        assertEquals(1, c.will().qos());
        assertTrue(c.will().retain());
        assertEquals("user", c.username());
        assertArrayEquals("pw".getBytes(StandardCharsets.UTF_8), c.password());
        assertEquals(hex, HEX.formatHex(PacketWriter.encode(c)));

        Packet.Connect v31 = new Packet.Connect("MQIsdp", 3, false, 0, "old", null, null, null);
        Packet.Connect back = (Packet.Connect) roundTrip(v31);
        assertTrue(back.supported());
        assertFalse(back.cleanSession());
        assertEquals("old", back.clientId());
    }

    @Test
    void anUnknownProtocolLevelIsReadSoTheBrokerCanRefuseIt() throws IOException {
        Packet.Connect c = (Packet.Connect) read("10" + "0c" + "00044d515454" + "05" + "02" + "003c" + "0000");
        assertFalse(c.supported());
        assertEquals(5, c.level());
    }

    @Test
    void everyOtherPacketTypeRoundTrips() throws IOException {
        assertEquals("20020100", HEX.formatHex(PacketWriter.encode(new Packet.ConnAck(true, 0))));
        assertEquals(new Packet.ConnAck(false, 5), roundTrip(new Packet.ConnAck(false, 5)));

        Packet.Publish pub = new Packet.Publish("a/b", 7, "hi".getBytes(StandardCharsets.UTF_8), 1, true, true);
        assertEquals("3b09" + "0003612f62" + "0007" + "6869", HEX.formatHex(PacketWriter.encode(pub)));
        Packet.Publish back = (Packet.Publish) roundTrip(pub);
        assertEquals(List.of("a/b", 7, 1, true, true), List.of(back.topic(), back.packetId(), back.qos(),
                back.retain(), back.dup()));
        assertArrayEquals(pub.payload(), back.payload());
        Packet.Publish qos0 = (Packet.Publish) read("3005" + "0001" + "78" + "7979");
        assertEquals(0, qos0.packetId());
        assertEquals("yy", new String(qos0.payload(), StandardCharsets.UTF_8));

        for (int type : new int[] {Packet.PUBACK, Packet.PUBREC, Packet.PUBREL, Packet.PUBCOMP, Packet.UNSUBACK}) {
            assertEquals(new Packet.Ack(type, 0xbeef), roundTrip(new Packet.Ack(type, 0xbeef)));
        }
        assertEquals("62020001", HEX.formatHex(PacketWriter.encode(new Packet.Ack(Packet.PUBREL, 1))));

        Packet.Subscribe sub = new Packet.Subscribe(10, List.of(new Packet.Subscription("a/+", 1),
                new Packet.Subscription("#", 2)));
        assertEquals("820c" + "000a" + "0003612f2b" + "01" + "000123" + "02", HEX.formatHex(PacketWriter.encode(sub)));
        assertEquals(sub, roundTrip(sub));
        Packet.SubAck subAck = new Packet.SubAck(10, List.of(1, 2, Packet.SubAck.FAILURE));
        assertEquals("9005000a010280", HEX.formatHex(PacketWriter.encode(subAck)));
        assertEquals(subAck, roundTrip(subAck));
        Packet.Unsubscribe unsub = new Packet.Unsubscribe(11, List.of("a/+", "b"));
        assertEquals(unsub, roundTrip(unsub));
        assertEquals("a20a000b0003612f2b000162", HEX.formatHex(PacketWriter.encode(unsub)));

        assertEquals("c000", HEX.formatHex(PacketWriter.encode(Packet.Empty.PINGREQ)));
        assertEquals("d000", HEX.formatHex(PacketWriter.encode(Packet.Empty.PINGRESP)));
        assertEquals("e000", HEX.formatHex(PacketWriter.encode(Packet.Empty.DISCONNECT)));
        assertEquals(Packet.Empty.PINGREQ, read("c000"));
        assertEquals(Packet.Empty.DISCONNECT, read("e000"));
    }

    @Test
    void remainingLengthAtEveryByteBoundary() throws IOException {
        int[][] cases = {{0, 1}, {127, 1}, {128, 2}, {16_383, 2}, {16_384, 3}, {2_097_151, 3}, {2_097_152, 4},
                {PacketReader.MAX_REMAINING_LENGTH, 4}};
        for (int[] c : cases) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PacketWriter.remainingLength(out, c[0]);
            byte[] encoded = out.toByteArray();
            assertEquals(c[1], encoded.length, "bytes for " + c[0]);
            assertEquals(c[0], PacketReader.remainingLength(new ByteArrayInputStream(encoded)), "value " + c[0]);
        }
        assertEquals("8001", lengthHex(128));
        assertEquals("ff7f", lengthHex(16_383));
        assertEquals("808001", lengthHex(16_384));
        assertEquals("ffffff7f", lengthHex(PacketReader.MAX_REMAINING_LENGTH));
        assertThrows(IllegalArgumentException.class, () -> lengthHex(PacketReader.MAX_REMAINING_LENGTH + 1));
        // a fifth length byte is malformed
        assertThrows(MalformedPacketException.class,
                () -> PacketReader.remainingLength(new ByteArrayInputStream(HEX.parseHex("ffffffff01"))));

        // a 16,384-byte PUBLISH body (3 length bytes) round-trips; one above the limit is refused before its body
        byte[] payload = new byte[16_384 - 3];
        Arrays.fill(payload, (byte) 'x');
        Packet.Publish big = new Packet.Publish("t", 0, payload, 0, false, false);
        byte[] encoded = PacketWriter.encode(big);
        assertEquals(1 + 3 + 16_384, encoded.length);
        assertArrayEquals(payload, ((Packet.Publish) read(encoded, 16_384)).payload());
        assertThrows(OversizePacketException.class, () -> read(encoded, 16_383));
    }

    private static String lengthHex(int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PacketWriter.remainingLength(out, n);
        return HEX.formatHex(out.toByteArray());
    }

    @Test
    void utf8StringsDecodeAndInvalidOnesAreMalformed() throws IOException {
        String topic = "ä/€/𝄞"; // 2-, 3- and 4-byte UTF-8
        Packet.Publish p = (Packet.Publish) roundTrip(new Packet.Publish(topic, 0, new byte[0], 0, false, false));
        assertEquals(topic, p.topic());
        assertEquals("300d" + "000b" + "c3a42fe282ac2ff09d849e", HEX.formatHex(PacketWriter.encode(
                new Packet.Publish(topic, 0, new byte[0], 0, false, false))));
        assertThrows(MalformedPacketException.class, () -> read("3004" + "0002" + "c328")); // bad continuation
        assertThrows(MalformedPacketException.class, () -> read("3004" + "0002" + "eda0")); // truncated surrogate
        assertThrows(MalformedPacketException.class, () -> read("3003" + "0001" + "00")); // U+0000
    }

    @Test
    void malformedPacketsAreRefused() {
        String[] bad = {
            "00" + "00",                       // reserved type 0
            "f0" + "00",                       // reserved type 15
            "3600" ,                           // PUBLISH QoS 3 (and too short)
            "3806" + "0001" + "61" + "0001" + "78", // DUP on QoS 0
            "3203" + "0001" + "61",            // QoS 1 without a packet id
            "3205" + "0001" + "61" + "0000",   // packet id 0
            "3004" + "0002" + "612b",          // wildcard in a topic name
            "3002" + "0000",                   // empty topic name
            "8005" + "0001" + "000161",        // SUBSCRIBE with flags 0
            "8206" + "0001" + "000161" + "03", // SUBSCRIBE QoS 3
            "8202" + "0001",                   // SUBSCRIBE without a filter
            "a202" + "0001",                   // UNSUBSCRIBE without a filter
            "6002" + "0001",                   // PUBREL with flags 0
            "4003" + "000100",                 // PUBACK with a byte too many
            "c100",                            // PINGREQ with flags
            "100c" + "00044d515454" + "04" + "03" + "003c" + "0000", // CONNECT reserved flag
            "100c" + "00044d515454" + "04" + "18" + "003c" + "0000", // will QoS without a will
        };
        for (String hex : bad) {
            IOException e = assertThrows(IOException.class, () -> read(hex), hex);
            assertInstanceOf(MalformedPacketException.class, e, hex + ": " + e);
        }
        assertThrows(EOFException.class, () -> read("3005" + "0001")); // the stream ends within the body
    }

    @Test
    void topicFiltersAndMatching() {
        for (String ok : new String[] {"#", "+", "a/#", "a/+/c", "+/+", "/", "a//b", "$hw/events/device/+/twin/+"}) {
            assertTrue(Topics.validFilter(ok), ok);
        }
        for (String bad : new String[] {"", "a/#/b", "a#", "a/b#", "a+/b", "++", "#/"}) {
            assertFalse(Topics.validFilter(bad), bad);
        }
        assertTrue(Topics.matches("a/+/c", "a/b/c"));
        assertFalse(Topics.matches("a/+/c", "a/b/d"));
        assertFalse(Topics.matches("a/+", "a/b/c"));
        assertTrue(Topics.matches("a/#", "a"));
        assertTrue(Topics.matches("a/#", "a/b/c"));
        assertTrue(Topics.matches("#", "a/b"));
        assertTrue(Topics.matches("+/+", "/x"));
        assertTrue(Topics.matches("+", ""));
        assertFalse(Topics.matches("a/b", "a/b/"));
        assertTrue(Topics.matches("a/+", "a/"));
        assertFalse(Topics.matches("#", "$SYS/x"), "$ topics are not matched by a leading wildcard");
        assertFalse(Topics.matches("+/events/x", "$hw/events/x"));
        assertTrue(Topics.matches("$hw/events/+", "$hw/events/x"));
    }
}
