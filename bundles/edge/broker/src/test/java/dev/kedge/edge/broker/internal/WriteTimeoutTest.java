package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.SharedScheduler;
import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.tls.CertificateAuthority;
import dev.kedge.core.tls.EcKeys;
import dev.kedge.core.tls.Pem;
import dev.kedge.core.tls.TlsContexts;
import dev.kedge.edge.broker.internal.mqtt.Packet;

/**
 * A subscriber that stops reading blocks its connection's socket write; the write deadline closes it, while the
 * other clients go on being served. Over plain TCP and over TLS (whose close must not wait for the blocked writer).
 */
class WriteTimeoutTest {
    @TempDir
    Path dir;

    @Test
    void aSubscriberThatStopsReadingIsClosedAfterTheWriteTimeoutAndOthersAreServed() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, config(Map.of("port", port))));
        try {
            assertClosedByTheDeadline(broker, port, RawClient.connect(port, "stuck", true, 0));
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void aTlsSubscriberThatStopsReadingIsClosedAfterTheWriteTimeout() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create();
        KeyPair key = EcKeys.generate();
        Path cert = Files.writeString(dir.resolve("broker.crt"),
                Pem.certificate(ca.issueServerCertificate(key, List.of("127.0.0.1"), 30)));
        Path pem = Files.writeString(dir.resolve("broker.key"), Pem.privateKey(key.getPrivate()));
        int port = FreePorts.belowEphemeral();
        int tls = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, config(Map.of("port", port,
                "tlsPort", tls, "tlsCertFile", cert.toString(), "tlsKeyFile", pem.toString()))));
        try {
            RawClient stuck = new RawClient(TlsContexts.client(null, null, ca.certificate(), true)
                    .getSocketFactory().createSocket("127.0.0.1", tls));
            assertEquals(0, stuck.connect(new Packet.Connect("MQTT", 4, true, 0, "stuck", null, null, null))
                    .returnCode());
            assertClosedByTheDeadline(broker, port, stuck);
        } finally {
            broker.deactivate();
        }
    }

    /** The deadline costs nothing idle: a check is armed by writes and disarms once none is under way. */
    @Test
    void theDeadlineCheckRunsOnlyWhileWritesAreUnderWay() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        SharedScheduler counting = new SharedScheduler() {
            @Override
            public ScheduledFuture<?> schedule(String what, Runnable task, Duration delay) {
                if (what.equals("MQTT write deadline")) {
                    checks.incrementAndGet();
                }
                return Configs.SCHEDULER.schedule(what, task, delay);
            }

            @Override
            public ScheduledFuture<?> scheduleWithFixedDelay(String what, Runnable task, Duration initialDelay,
                    Duration delay) {
                return Configs.SCHEDULER.scheduleWithFixedDelay(what, task, initialDelay, delay);
            }

            @Override
            public Executor executor() {
                return Configs.SCHEDULER.executor();
            }
        };
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = new BrokerComponent(Configs.of(BrokerConfig.class, config(Map.of("port", port))),
                counting, Configs.ACCEPTOR);
        try (RawClient c = RawClient.connect(port, "c", true, 60)) {
            assertTrue(broker.stats().running(), broker.stats().error());
            c.subscribe(1, "t/#", 0);
            for (int i = 0; i < 10; i++) {
                broker.publish("t/" + i, new byte[] {1}, 0, false);
                assertEquals("t/" + i, c.readPublish().topic());
            }
            assertTrue(checks.get() >= 1, "armed by the writes");
            MqttProtocolTest.await(() -> !broker.writeCheckArmed(), "disarmed once the writes are done");
            int armedTimes = checks.get();
            assertTrue(armedTimes <= 3, "at most a few checks for writes within about a second: " + armedTimes);
            c.send(Packet.Empty.PINGREQ);
            assertEquals(Packet.Empty.PINGRESP, c.read());
            MqttProtocolTest.await(() -> !broker.writeCheckArmed(), "and again after the PINGRESP");
            assertEquals(0, broker.stats().writeTimeouts(), "a client that reads is never closed");
        } finally {
            broker.deactivate();
        }
    }

    private static Map<String, Object> config(Map<String, Object> listeners) {
        Map<String, Object> all = new HashMap<>(listeners);
        all.put("writeTimeoutSeconds", 1);
        all.put("sessionQueueSize", 4);
        return all;
    }

    /** {@code stuck} (connected, no keep-alive: only the deadline closes it) subscribes, then reads nothing. */
    private static void assertClosedByTheDeadline(BrokerComponent broker, int port, RawClient stuck)
            throws Exception {
        MqttClient reader = null;
        try (stuck) {
            assertTrue(broker.stats().running(), broker.stats().error());
            stuck.subscribe(1, "big/#", 1);
            BlockingQueue<String> got = new ArrayBlockingQueue<>(100);
            reader = BrokerComponentTest.client(port, "reader", null, null);
            reader.subscribe("other/#", 1, (t, m) -> got.add(new String(m.getPayload(), StandardCharsets.UTF_8)));

            Stalls.untilWriterBlocked(broker, "big/");
            long blocked = System.nanoTime();
            broker.publish("other/1", "during".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("during", got.poll(5, TimeUnit.SECONDS), "served while the other's write is blocked");
            MqttProtocolTest.await(() -> broker.stats().writeTimeouts() == 1, "closed: " + broker.stats());
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - blocked);
            // it blocked before we saw it: closed within the timeout and one watchdog period (250 ms), with slack
            assertTrue(ms <= 1_250 + 500, "closed after " + ms + " ms");
            MqttProtocolTest.await(() -> broker.clients().stream().noneMatch(c -> c.clientId().equals("stuck")),
                    "stuck gone: " + broker.clients());

            broker.publish("other/2", "after".getBytes(StandardCharsets.UTF_8), 1, false);
            assertEquals("after", got.poll(5, TimeUnit.SECONDS), "still served");
            assertEquals(1, broker.clients().size());
            assertEquals(1, broker.stats().writeTimeouts());
        } finally {
            if (reader != null) {
                reader.disconnect();
                reader.close();
            }
        }
    }
}
