package dev.kedge.edge.cri.internal.wire;

/** Reads one message type from its bytes. */
@FunctionalInterface
public interface Decoder<T> {
    T decode(ProtoReader message) throws WireFormatException;
}
