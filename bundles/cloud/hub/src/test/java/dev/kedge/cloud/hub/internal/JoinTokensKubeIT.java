package dev.kedge.cloud.hub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.kedge.cloud.kube.Leadership;
import dev.kedge.cloud.kube.LeadershipStatus;
import dev.kedge.cloud.kube.testing.TestApiServer;
import dev.kedge.core.tls.JoinToken;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Join-token rotation across replicas, against the real kube-apiserver of {@code KUBECONFIG}: two replicas share the
 * CA and {@code tokensecret} of one namespace; only the leader makes new tokens, the follower takes them up, and a
 * token handed out before a rotation stays valid. The namespace is new per run (nothing deletes namespaces here).
 */
class JoinTokensKubeIT {
    private static final Duration PERIOD = Duration.ofHours(12);
    private static KubernetesClient client;

    @BeforeAll
    static void apiServer() {
        client = TestApiServer.client("JoinTokensKubeIT");
    }

    @AfterAll
    static void closeClient() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void theLeaderRotatesAndTheFollowerTakesTheStoredTokenUp() throws Exception {
        String ns = "jt-test-" + UUID.randomUUID().toString().substring(0, 8);
        // KubeEdge's token carries only its expiry: tokens made in the same second are equal, so time moves a minute
        // before every rotation
        SteppingClock clock = new SteppingClock();
        CloudCertificates first = CloudCertificates.ensure(client, ns, List.of("127.0.0.1"));
        CloudCertificates second = CloudCertificates.ensure(client, ns, List.of("127.0.0.1"));
        assertEquals(first.ca.caHash(), second.ca.caHash(), "the second replica loads the CA the first one stored");
        FixedLeadership leadingA = new FixedLeadership(true);
        FixedLeadership leadingB = new FixedLeadership(false);

        JoinTokens a = new JoinTokens(first, leadingA, PERIOD, clock);
        JoinTokens b = new JoinTokens(second, leadingB, PERIOD, clock);
        String t1 = a.current();
        assertEquals(t1, b.current(), "a replica that starts later hands out the stored token");
        assertEquals(t1, stored(ns));

        clock.step();
        a.rotateOrReload();
        String t2 = a.current();
        assertNotEquals(t1, t2, "the leader made a new token");
        assertEquals(t2, stored(ns), "and stored it");
        assertTrue(JoinToken.verify(t1, second.ca, clock).ok(), "the token handed out before the rotation stays valid");

        b.rotateOrReload();
        assertEquals(t2, b.current(), "the follower takes the stored token up instead of making one");
        assertEquals(t2, stored(ns), "the follower wrote nothing");

        // the leader changes: now b rotates and a follows
        leadingA.leader = false;
        leadingB.leader = true;
        clock.step();
        b.rotateOrReload();
        a.rotateOrReload();
        assertNotEquals(t2, b.current());
        assertEquals(b.current(), a.current());
        assertEquals(b.current(), stored(ns));

        // a follower with no valid stored token makes one rather than hand out nothing
        client.secrets().inNamespace(ns).withName(CloudCertificates.TOKEN_SECRET).delete();
        awaitGone(ns);
        clock.step();
        a.rotateOrReload();
        assertTrue(JoinToken.verify(a.current(), first.ca, clock).ok());
        assertEquals(a.current(), stored(ns));
    }

    private static String stored(String ns) {
        var secret = client.secrets().inNamespace(ns).withName(CloudCertificates.TOKEN_SECRET).get();
        return new String(Base64.getDecoder().decode(secret.getData().get("tokendata")), StandardCharsets.UTF_8).trim();
    }

    private static void awaitGone(String ns) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (client.secrets().inNamespace(ns).withName(CloudCertificates.TOKEN_SECRET).get() == null) {
                return;
            }
            Thread.sleep(50);
        }
        fail("tokensecret was not deleted within 5 s");
    }

    /** The system clock, plus whole minutes the test adds. */
    private static final class SteppingClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        void step() {
            offset = offset.plusMinutes(1);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.time.Instant instant() {
            return java.time.Instant.now().plus(offset);
        }
    }

    /** The election's outcome, set by the test. */
    private static final class FixedLeadership implements Leadership {
        volatile boolean leader;

        FixedLeadership(boolean leader) {
            this.leader = leader;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public String identity() {
            return "test";
        }

        @Override
        public String holder() {
            return leader ? "test" : "other";
        }

        @Override
        public LeadershipStatus status() {
            return new LeadershipStatus("test", holder(), leader, "kedge-cloud", 0, 0, 0);
        }

        @Override
        public void addListener(Listener listener) {
            listener.leadershipChanged(leader);
        }

        @Override
        public void removeListener(Listener listener) {
        }
    }
}
