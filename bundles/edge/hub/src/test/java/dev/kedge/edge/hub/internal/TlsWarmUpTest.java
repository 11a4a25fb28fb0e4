package dev.kedge.edge.hub.internal;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class TlsWarmUpTest {

    @Test
    void completesAMutualTlsHandshakeInMemory() {
        // it throws if either engine fails or the handshake does not finish within its step bound
        assertTimeoutPreemptively(Duration.ofSeconds(30), TlsWarmUp::handshake);
    }
}
