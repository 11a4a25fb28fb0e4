package dev.kedge.edge.broker.internal.mqtt;

import java.io.IOException;

/** Bytes that are not a valid MQTT 3.1.1 packet: the connection that sent them is closed. */
public class MalformedPacketException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedPacketException(String message) {
        super(message);
    }
}
