package dev.kedge.edge.cri.internal.grpc;

import java.io.IOException;

/** The runtime broke the HTTP/2 or HPACK rules: the connection is closed, the call fails as INTERNAL. */
final class Http2Exception extends IOException {
    private static final long serialVersionUID = 1L;

    Http2Exception(String message) {
        super(message);
    }
}
