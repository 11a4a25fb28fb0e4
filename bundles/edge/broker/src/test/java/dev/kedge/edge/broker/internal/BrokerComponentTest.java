package dev.kedge.edge.broker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.broker.BrokerStats;

/** The real embedded broker on a free loopback port, with Paho clients (the library EventBus uses). */
class BrokerComponentTest {


    static MqttClient client(int port, String id, String user, String pass) throws MqttException {
        MqttClient c = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setConnectionTimeout(5);
        if (user != null) {
            o.setUserName(user);
            o.setPassword(pass.toCharArray());
        }
        c.connect(o);
        return c;
    }

    @Test
    void deliversAndCountsWithoutPersistenceJars() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        try {
            assertTrue(broker.stats().running(), broker.stats().error());
            BlockingQueue<String> got = new ArrayBlockingQueue<>(10);
            MqttClient sub = client(port, "mapper-sub", null, null);
            sub.subscribe("$hw/events/device/+/twin/+", 1,
                    (t, m) -> got.add(t + " " + new String(m.getPayload(), StandardCharsets.UTF_8)));
            MqttClient pub = client(port, "mapper-pub", null, null);
            pub.publish("$hw/events/device/dev1/twin/update", "{\"event_id\":\"1\"}".getBytes(StandardCharsets.UTF_8),
                    1, false);
            assertEquals("$hw/events/device/dev1/twin/update {\"event_id\":\"1\"}", got.poll(5, TimeUnit.SECONDS));
            assertEquals(2, broker.clients().size());
            assertTrue(broker.clients().stream().anyMatch(c -> c.clientId().equals("mapper-sub")));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (broker.stats().publishesIn() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            BrokerStats s = broker.stats();
            assertEquals(1, s.publishesIn());
            assertEquals(16, s.payloadBytesIn());
            assertEquals(2, s.connects());
            sub.disconnect();
            pub.disconnect();
            sub.close();
            pub.close();
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void refusesAnonymousAndWrongPasswordWhenAUserIsConfigured() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class,
                Map.of("port", port, "username", "mapper", "password", "s3cret")));
        try {
            assertThrows(MqttException.class, () -> client(port, "anon", null, null));
            assertThrows(MqttException.class, () -> client(port, "wrong", "mapper", "nope"));
            MqttClient ok = client(port, "right", "mapper", "s3cret");
            assertTrue(ok.isConnected());
            ok.disconnect();
            ok.close();
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void tlsListenerServesAClientThatTrustsTheCa(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        dev.kedge.core.tls.CertificateAuthority ca = dev.kedge.core.tls.CertificateAuthority.create();
        java.security.KeyPair key = dev.kedge.core.tls.EcKeys.generate();
        java.nio.file.Path cert = dir.resolve("broker.crt");
        java.nio.file.Path pem = dir.resolve("broker.key");
        java.nio.file.Files.writeString(cert, dev.kedge.core.tls.Pem.certificate(
                ca.issueServerCertificate(key, java.util.List.of("127.0.0.1"), 30)));
        java.nio.file.Files.writeString(pem, dev.kedge.core.tls.Pem.privateKey(key.getPrivate()));
        int tls = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", 0, "tlsPort", tls,
                "tlsCertFile", cert.toString(), "tlsKeyFile", pem.toString())));
        try {
            assertTrue(broker.stats().running(), broker.stats().error());
            assertEquals("ssl://127.0.0.1:" + tls, broker.stats().listeners());
            MqttClient c = new MqttClient("ssl://127.0.0.1:" + tls, "tls-mapper", new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setConnectionTimeout(10);
            o.setSocketFactory(dev.kedge.core.tls.TlsContexts.client(null, null, ca.certificate(), true)
                    .getSocketFactory());
            c.connect(o);
            assertTrue(c.isConnected());
            c.disconnect();
            c.close();
        } finally {
            broker.deactivate();
        }
    }

    @Test
    void portInUseKeepsTheComponentUpWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class,
                    Map.of("port", taken.getLocalPort())));
            try {
                assertFalse(broker.stats().running());
                assertTrue(broker.stats().error().contains("cannot start"), broker.stats().error());
                assertTrue(broker.clients().isEmpty());
            } finally {
                broker.deactivate();
            }
        }
    }

    @Test
    void stoppingClosesClientsFreesThePortAndEndsItsThreads() throws Exception {
        int port = FreePorts.belowEphemeral();
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("port", port)));
        assertEquals(0, brokerThreads().size(), "idle, the broker owns no thread (core accepts): " + brokerThreads());
        MqttClient c = client(port, "stopping", null, null);
        BlockingQueue<Throwable> lost = new ArrayBlockingQueue<>(1);
        c.setCallback(new org.eclipse.paho.client.mqttv3.MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
                lost.offer(cause);
            }

            @Override
            public void messageArrived(String topic, org.eclipse.paho.client.mqttv3.MqttMessage message) {
            }

            @Override
            public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {
            }
        });
        assertTrue(brokerThreads().contains("kedge-mqtt-stopping"), brokerThreads().toString());

        broker.deactivate();

        assertFalse(brokerThreads().contains("kedge-mqtt-accept"), "no handover runs when deactivate returns");
        assertTrue(lost.poll(10, TimeUnit.SECONDS) != null, "the client was disconnected");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!brokerThreads().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(java.util.List.of(), brokerThreads(), "the reader has ended");
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort(), "the port is free for the next start");
        }
        c.close(true);
    }

    /** The broker's own threads: connection readers, and its accept lanes while they hand over (on core's workers). */
    static java.util.List<String> brokerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("kedge-mqtt-") && !n.equals("kedge-mqtt-out")).sorted().toList();
    }

    @Test
    void invalidConfigurationIsReported() {
        BrokerComponent broker = Configs.broker(Configs.of(BrokerConfig.class, Map.of("tlsPort", 8883)));
        assertFalse(broker.stats().running());
        assertTrue(broker.stats().error().contains("tlsCertFile"), broker.stats().error());
        broker.deactivate();
    }
}
