package dev.kedge.edge.cri.internal.wire;

import java.io.IOException;

/** Bytes that are no valid protobuf message of the expected type: truncated, overlong or of another schema. */
public final class WireFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public WireFormatException(String message) {
        super(message);
    }
}
