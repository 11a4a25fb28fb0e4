package dev.kedge.edge.broker.internal.mqtt;

import java.io.IOException;

/** A packet whose remaining length is above the broker's limit: the connection is closed before reading it. */
public final class OversizePacketException extends IOException {
    private static final long serialVersionUID = 1L;

    public OversizePacketException(int length, int limit) {
        super("packet of " + length + " bytes, more than the " + limit + " allowed");
    }
}
