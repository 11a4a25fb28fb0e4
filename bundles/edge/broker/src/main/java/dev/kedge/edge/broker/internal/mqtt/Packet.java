package dev.kedge.edge.broker.internal.mqtt;

import java.util.List;

/** The MQTT 3.1.1 control packets, decoded ({@link PacketReader}) or to encode ({@link PacketWriter}). */
public sealed interface Packet {
    int CONNECT = 1;
    int CONNACK = 2;
    int PUBLISH = 3;
    int PUBACK = 4;
    int PUBREC = 5;
    int PUBREL = 6;
    int PUBCOMP = 7;
    int SUBSCRIBE = 8;
    int SUBACK = 9;
    int UNSUBSCRIBE = 10;
    int UNSUBACK = 11;
    int PINGREQ = 12;
    int PINGRESP = 13;
    int DISCONNECT = 14;

    /** The control packet type, 1 to 14. */
    int type();

    /** The last will a client leaves in its CONNECT. */
    record Will(String topic, byte[] payload, int qos, boolean retain) {
    }

    /**
     * CONNECT. For a protocol name or level the broker does not speak only {@code protocolName} and {@code level} are
     * read; the rest is null or zero, so the broker can answer with CONNACK 0x01.
     */
    record Connect(String protocolName, int level, boolean cleanSession, int keepAliveSeconds, String clientId,
            Will will, String username, byte[] password) implements Packet {
        @Override
        public int type() {
            return CONNECT;
        }

        /** MQTT 3.1.1 ("MQTT", 4) or 3.1 ("MQIsdp", 3). */
        public boolean supported() {
            return "MQTT".equals(protocolName) && level == 4 || "MQIsdp".equals(protocolName) && level == 3;
        }
    }

    record ConnAck(boolean sessionPresent, int returnCode) implements Packet {
        public static final int ACCEPTED = 0;
        public static final int BAD_PROTOCOL_VERSION = 1;
        public static final int IDENTIFIER_REJECTED = 2;
        public static final int BAD_USERNAME_OR_PASSWORD = 4;
        public static final int NOT_AUTHORIZED = 5;

        @Override
        public int type() {
            return CONNACK;
        }
    }

    /** PUBLISH; {@code packetId} is 0 for QoS 0. */
    record Publish(String topic, int packetId, byte[] payload, int qos, boolean retain, boolean dup)
            implements Packet {
        @Override
        public int type() {
            return PUBLISH;
        }
    }

    /** The packets that carry only a packet id: PUBACK, PUBREC, PUBREL, PUBCOMP, UNSUBACK. */
    record Ack(int type, int packetId) implements Packet {
    }

    record Subscription(String filter, int qos) {
    }

    record Subscribe(int packetId, List<Subscription> subscriptions) implements Packet {
        @Override
        public int type() {
            return SUBSCRIBE;
        }
    }

    /** SUBACK: one return code per subscription, the granted QoS or 0x80 for a failure. */
    record SubAck(int packetId, List<Integer> returnCodes) implements Packet {
        public static final int FAILURE = 0x80;

        @Override
        public int type() {
            return SUBACK;
        }
    }

    record Unsubscribe(int packetId, List<String> filters) implements Packet {
        @Override
        public int type() {
            return UNSUBSCRIBE;
        }
    }

    /** The packets without a body: PINGREQ, PINGRESP, DISCONNECT. */
    record Empty(int type) implements Packet {
        public static final Empty PINGREQ = new Empty(Packet.PINGREQ);
        public static final Empty PINGRESP = new Empty(Packet.PINGRESP);
        public static final Empty DISCONNECT = new Empty(Packet.DISCONNECT);
    }
}
