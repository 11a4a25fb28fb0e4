package dev.kedge.edge.broker.internal;

/**
 * An application message as the broker routes it. {@code fromClient} tells a network client's publish (or will) from
 * the broker's own in-process publish: only the former reach {@link InProcessTaps} and its retained copies.
 */
record Message(String topic, byte[] payload, int qos, boolean retain, String publisher, boolean fromClient) {
}
