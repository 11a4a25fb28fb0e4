package dev.kedge.edge.broker.internal;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One client id's MQTT session: its subscriptions, the messages waiting for it (bounded by sessionQueueSize), the
 * QoS 1 and 2 messages sent and not yet acknowledged (bounded by maxInFlight) and the QoS 2 packet ids
 * it sent and has not released yet. A persistent session (clean session false) outlives its connection until it
 * expires. Guarded by the {@link Broker}'s lock.
 */
final class Session {
    /** A message for this session at the QoS it gets; {@code retain} only for retained messages on subscribing. */
    record Delivery(Message message, int qos, boolean retain) {
    }

    /** A QoS 1 or 2 delivery sent and not yet acknowledged; {@code released} once PUBREC came (PUBREL sent). */
    static final class InFlight {
        final Delivery delivery;
        boolean released;

        InFlight(Delivery delivery) {
            this.delivery = delivery;
        }
    }

    final String clientId;
    final boolean persistent;
    final Map<String, Integer> subscriptions = new LinkedHashMap<>();
    final ArrayDeque<Delivery> queue = new ArrayDeque<>();
    final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
    final Set<Integer> qos2Received = new HashSet<>();
    Connection connection;
    long offlineSinceMs;
    boolean dropLogged;
    private int lastPacketId;

    Session(String clientId, boolean persistent) {
        this.clientId = clientId;
        this.persistent = persistent;
    }

    /** A packet id not in flight (fewer than maxInFlight, at most 65535, are: one is always free). */
    int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 0xffff ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
