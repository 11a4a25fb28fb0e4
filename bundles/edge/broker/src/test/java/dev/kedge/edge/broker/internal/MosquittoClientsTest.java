package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.Pem;

/** The broker with Debian's mosquitto_pub and mosquitto_sub, a client implementation independent of ours and Paho. */
class MosquittoClientsTest {
    private BrokerComponent broker;
    private int port;

    @BeforeEach
    void require() {
        Mosquitto.require();
    }

    private void start(Map<String, Object> config) {
        port = FreePorts.belowEphemeral();
        Map<String, Object> all = new HashMap<>(config);
        all.put("port", port);
        broker = Configs.running(all);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.deactivate();
        }
    }

    /** Publishes probes in process until the subscriber prints one: it has subscribed. */
    private void awaitSubscribed(Mosquitto.Sub sub, String probeTopic) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            broker.publish(probeTopic, "probe".getBytes(StandardCharsets.UTF_8), 0, false);
            String line = sub.next(100);
            if (line != null) {
                assertEquals(probeTopic + " probe", line);
                while (sub.next(100) != null) {
                    // later probes
                }
                return;
            }
        }
        throw new AssertionError("mosquitto_sub did not subscribe within 10 s");
    }

    @Test
    void qos012RoundTripsAndWildcards() throws Exception {
        start(Map.of());
        try (Mosquitto.Sub sub = new Mosquitto.Sub(port, "-v", "-q", "2", "-t", "m/+/x", "-t", "probe/#")) {
            awaitSubscribed(sub, "probe/1");
            for (int qos = 0; qos <= 2; qos++) {
                Mosquitto.Result r = Mosquitto.pub(port, "-q", Integer.toString(qos), "-t", "m/" + qos + "/x",
                        "-m", "v" + qos);
                assertEquals(0, r.exit(), r.output());
                assertEquals("m/" + qos + "/x v" + qos, sub.next(5_000));
            }
            assertEquals(0, Mosquitto.pub(port, "-t", "m/1/y", "-m", "no").exit());
            assertEquals(0, Mosquitto.pub(port, "-t", "$hw/m/1/x", "-m", "no").exit());
            assertNull(sub.next(300), "neither m/1/y nor a $ topic matches");
        }
        MqttProtocolTest.await(() -> broker.stats().publishesIn() == 5, "five publishes counted");
    }

    @Test
    void retainedMessageAndItsClearing() throws Exception {
        start(Map.of());
        assertEquals(0, Mosquitto.pub(port, "-r", "-q", "1", "-t", "dev/state", "-m", "on").exit());
        Mosquitto.Result r = Mosquitto.subOnce(port, "-v", "-C", "1", "-W", "5", "-t", "dev/#");
        assertEquals(0, r.exit(), r.output());
        assertEquals("dev/state on", r.output().strip());
        assertEquals(0, Mosquitto.pub(port, "-r", "-q", "1", "-t", "dev/state", "-n").exit()); // empty: clears
        r = Mosquitto.subOnce(port, "-v", "-C", "1", "-W", "2", "-t", "dev/#");
        assertNotEquals(0, r.exit(), "timed out with nothing retained: " + r.output());
        assertEquals(0, broker.stats().retainedKept(), "the in-process copy is cleared too");
    }

    @Test
    void willOfAKilledSubscriberIsPublished() throws Exception {
        start(Map.of());
        try (Mosquitto.Sub watcher = new Mosquitto.Sub(port, "-v", "-q", "1", "-t", "wills/#", "-t", "probe/#");
                Mosquitto.Sub doomed = new Mosquitto.Sub(port, "-i", "doomed", "-q", "1", "-t", "probe/#",
                        "--will-topic", "wills/doomed", "--will-payload", "gone", "--will-qos", "1")) {
            awaitSubscribed(watcher, "probe/w");
            OneClient.await(broker, "doomed");
            doomed.kill(); // SIGKILL: the socket closes without DISCONNECT
            assertEquals("wills/doomed gone", watcher.next(5_000));
        }
    }

    @Test
    void persistentSessionReceivesWhatWasQueuedWhileOffline() throws Exception {
        start(Map.of());
        try (Mosquitto.Sub first = new Mosquitto.Sub(port, "-v", "-c", "-i", "mapper-1", "-q", "1", "-t", "s/#",
                "-t", "probe/#")) {
            awaitSubscribed(first, "probe/s");
        } // SIGTERM: mosquitto_sub disconnects cleanly, its session stays
        MqttProtocolTest.await(() -> broker.clients().isEmpty(), "mapper-1 offline");
        for (int i = 1; i <= 3; i++) {
            assertEquals(0, Mosquitto.pub(port, "-q", "1", "-t", "s/" + i, "-m", "m" + i).exit());
        }
        Mosquitto.Result r = Mosquitto.subOnce(port, "-v", "-c", "-i", "mapper-1", "-q", "1", "-t", "s/#",
                "-C", "3", "-W", "5");
        assertEquals(0, r.exit(), r.output());
        assertEquals("s/1 m1\ns/2 m2\ns/3 m3", r.output().strip());
    }

    @Test
    void wrongCredentialsAreRefused() throws Exception {
        start(Map.of("username", "mapper", "password", "s3cret"));
        Mosquitto.Result anon = Mosquitto.pub(port, "-t", "a", "-m", "x");
        assertNotEquals(0, anon.exit(), anon.output());
        Mosquitto.Result wrong = Mosquitto.pub(port, "-u", "mapper", "-P", "nope", "-t", "a", "-m", "x");
        assertNotEquals(0, wrong.exit(), wrong.output());
        assertTrue(wrong.output().toLowerCase().contains("password"), wrong.output());
        Mosquitto.Result right = Mosquitto.pub(port, "-u", "mapper", "-P", "s3cret", "-t", "a", "-m", "x");
        assertEquals(0, right.exit(), right.output());
        // QoS 0: mosquitto_pub may exit before the broker's reader has taken its PUBLISH
        MqttProtocolTest.await(() -> broker.stats().publishesIn() == 1, "the one accepted publish counted");
    }

    @Test
    void anOversizePublishClosesThatClientOnly() throws Exception {
        start(Map.of("maxMessageBytes", 1000));
        try (Mosquitto.Sub sub = new Mosquitto.Sub(port, "-v", "-q", "1", "-t", "big/#", "-t", "probe/#")) {
            awaitSubscribed(sub, "probe/o");
            Mosquitto.Result r = Mosquitto.pub(port, "-q", "1", "-t", "big/1", "-m", "x".repeat(2000));
            assertNotEquals(0, r.exit(), "mosquitto_pub lost its connection: " + r.output());
            assertEquals(1, broker.stats().oversizePackets());
            assertEquals(0, Mosquitto.pub(port, "-q", "1", "-t", "big/2", "-m", "small").exit());
            assertEquals("big/2 small", sub.next(5_000));
        }
    }

    /**
     * The TLS listener with mosquitto's OpenSSL client: a P-256 key from core's CA (as KubeEdge's certificates come),
     * and an RSA PKCS#8 key made by the openssl command line.
     */
    @Test
    void tlsListenerServesMosquittoWithEcAndRsaKeys(@TempDir Path dir) throws Exception {
        CertificateAuthority ca = CertificateAuthority.create();
        KeyPair ec = EcKeys.generate();
        Path caPem = Files.writeString(dir.resolve("ca.crt"), Pem.certificate(ca.certificate()));
        Path ecCert = Files.writeString(dir.resolve("ec.crt"), Pem.certificate(
                ca.issueServerCertificate(ec, List.of("127.0.0.1"), 1)));
        Path ecKey = Files.writeString(dir.resolve("ec.key"), Pem.privateKey(ec.getPrivate()));
        Path otherCa = Files.writeString(dir.resolve("other-ca.crt"),
                Pem.certificate(CertificateAuthority.create().certificate()));
        tlsRoundTrip(ecCert, ecKey, caPem, otherCa);

        Path rsaCert = dir.resolve("rsa.crt");
        Path rsaKey = dir.resolve("rsa.key");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                rsaKey.toString(), "-out", rsaCert.toString(), "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-days", "1").redirectErrorStream(true).start();
        assertTrue(openssl.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, openssl.exitValue(), new String(openssl.getInputStream().readAllBytes()));
        assertTrue(Files.readString(rsaKey).contains("BEGIN PRIVATE KEY"), "PKCS#8");
        tlsRoundTrip(rsaCert, rsaKey, rsaCert, otherCa);
    }

    private static void tlsRoundTrip(Path cert, Path key, Path trusted, Path otherCa) throws Exception {
        int tls = FreePorts.belowEphemeral();
        BrokerComponent b = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", 0, "tlsPort", tls,
                "tlsCertFile", cert.toString(), "tlsKeyFile", key.toString())));
        try {
            assertTrue(b.stats().running(), b.stats().error());
            assertEquals(0, Mosquitto.pub(tls, "--cafile", trusted.toString(), "-r", "-q", "1", "-t", "tls/t",
                    "-m", "secure").exit());
            Mosquitto.Result r = Mosquitto.subOnce(tls, "--cafile", trusted.toString(), "-v", "-C", "1", "-W", "5",
                    "-t", "tls/#");
            assertEquals(0, r.exit(), r.output());
            assertEquals("tls/t secure", r.output().strip());
            Mosquitto.Result untrusted = Mosquitto.pub(tls, "--cafile", otherCa.toString(), "-t", "tls/t", "-m", "x");
            assertTrue(untrusted.exit() != 0, "a client trusting another CA fails: " + untrusted.output());
        } finally {
            b.deactivate();
        }
    }

    /** Waits for a client id among the broker's clients. */
    static final class OneClient {
        static void await(BrokerComponent broker, String id) throws InterruptedException {
            MqttProtocolTest.await(() -> broker.clients().stream().anyMatch(c -> c.clientId().equals(id)),
                    id + " connected");
        }
    }
}
