package dev.kedge.cloud.hub.internal;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.cloud.kube.Leadership;
import dev.kedge.core.tls.JoinToken;
import dev.kedge.core.tls.TlsException;

/**
 * The join token this replica hands out ({@code cloudhub:token}). Replicas share the CA, so a token any of them made
 * is valid on all: the leader makes a new one every refresh period and stores it in {@code tokensecret}; the others
 * take the stored one up. A token stays valid for two periods, so one handed out just before a rotation still works.
 */
final class JoinTokens {
    private static final Logger LOG = LoggerFactory.getLogger(JoinTokens.class);

    private final CloudCertificates certs;
    private final Leadership leadership;
    private final Duration ttl;
    private final Clock clock;
    private volatile String current;

    /** Takes the stored token if it is still valid, else makes and stores one. */
    JoinTokens(CloudCertificates certs, Leadership leadership, Duration refreshPeriod, Clock clock) throws TlsException {
        this.certs = certs;
        this.leadership = leadership;
        this.ttl = JoinToken.ttlForRefresh(refreshPeriod);
        this.clock = clock;
        String stored = certs.storedToken(clock);
        current = stored != null ? stored : certs.refreshToken(ttl, clock);
    }

    String current() {
        return current;
    }

    /** Once per refresh period: the leader rotates, a follower reloads (and makes one only if none is valid). */
    void rotateOrReload() {
        try {
            if (!leadership.isLeader()) {
                String stored = certs.storedToken(clock);
                if (stored != null) {
                    current = stored;
                    return;
                }
            }
            current = certs.refreshToken(ttl, clock);
        } catch (TlsException | RuntimeException e) {
            LOG.error("join token refresh failed (the current one stays valid until it expires): {}", e.toString());
        }
    }
}
