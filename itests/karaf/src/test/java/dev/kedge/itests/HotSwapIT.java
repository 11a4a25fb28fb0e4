package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleInfo;

/**
 * Hot swap loses nothing: a producer sends 100,000 messages to the relay module while the operator runs
 * {@code bundle:update} on the relay's bundle three times; the sink (a probe module that is not updated) must see
 * every message exactly once and in order, handled by at least four relay instances.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HotSwapIT extends KedgeTestSupport {
    private static final int TOTAL = 100_000;
    private static final int UPDATES = 3;
    /** Messages per second: 100,000 take 5 s, so a quarter of them outlast any bundle:update. */
    private static final int RATE = 20_000;
    private static final String RELAY = "hotswap-relay";

    @Inject
    private MessageBus bus;

    @Configuration
    public Option[] config() {
        // the test method runs inside the container: hand it the path of the relay bundle built by this build
        return OptionUtils.combine(distribution("edge"), editConfigurationFilePut("etc/system.properties",
                "kedge.hotswap.bundle", System.getProperty("kedge.hotswap.bundle")));
    }

    @Test
    public void updatesUnderLoadLoseNothing() throws Exception {
        String jar = new File(System.getProperty("kedge.hotswap.bundle")).toURI().toString();
        Sink sink = new Sink();
        ServiceRegistration<Module> reg = registerModule("hotswap-sink", "hotswap-sink", sink);
        Bundle relay = bundleContext.installBundle(jar);
        relay.start();
        awaitActive(RELAY, 30);

        AtomicReference<Throwable> producerFailure = new AtomicReference<>();
        Thread producer = new Thread(() -> {
            try {
                // paced to RATE: unpaced, the old relay could relay everything left before a bundle:update
                // (100-400 ms on a busy machine) takes it away, and the test would swap nothing
                long t0 = System.nanoTime();
                for (int i = 0; i < TOTAL; i++) {
                    bus.send(RELAY, Message.create("itest", "hotswap", "update", "seq", i));
                    if (i % 100 == 99) {
                        long ahead = t0 + i * 1_000_000_000L / RATE - System.nanoTime();
                        if (ahead > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(ahead);
                        }
                    }
                }
            } catch (Throwable t) {
                producerFailure.set(t);
            }
        }, "hotswap-producer");
        long start = System.nanoTime();
        producer.start();
        for (int u = 1; u <= UPDATES; u++) {
            sink.awaitCount(u * TOTAL / (UPDATES + 1), 60);
            String out = executeCommand("bundle:update " + relay.getBundleId() + " " + jar);
            assertTrue("bundle:update " + u + " printed an error: " + out, !out.toLowerCase().contains("error"));
        }
        producer.join(120_000);
        assertTrue("producer finished", !producer.isAlive());
        assertEquals("producer failed", null, producerFailure.get());
        assertTrue("all messages arrived within 120 s, got " + sink.count(), sink.done.await(120, TimeUnit.SECONDS));
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("HOTSWAP sent=%d received=%d duplicates=%d outOfOrder=%d relayInstances=%d updates=%d"
                + " longestPauseMs=%.1f elapsedMs=%d%n", TOTAL, sink.count(), sink.duplicates, sink.outOfOrder,
                sink.instances.size(), UPDATES, sink.longestGapNanos / 1e6, elapsedMs);
        assertEquals(TOTAL, sink.count());
        assertEquals("duplicates", 0, sink.duplicates);
        assertEquals("out of order", 0, sink.outOfOrder);
        assertTrue("the relay was really swapped: instances " + sink.instances.size(),
                sink.instances.size() >= UPDATES + 1);
        reg.unregister();
        relay.uninstall();
    }

    private void awaitActive(String module, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            for (ModuleInfo m : bus.modules()) {
                if (m.name().equals(module) && m.state().equals("ACTIVE")) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError(module + " never became ACTIVE: " + bus.modules());
    }

    /** Receives on the bus's single delivery thread for its mailbox, so plain fields are enough except count. */
    private static final class Sink implements Module {
        final CountDownLatch done = new CountDownLatch(1);
        final BitSet seen = new BitSet(TOTAL);
        final Set<String> instances = new HashSet<>();
        volatile int received;
        int last = -1;
        int unique;
        int duplicates;
        int outOfOrder;
        long lastArrival;
        long longestGapNanos;

        @Override
        public void receive(Message m) {
            int seq = (Integer) m.content();
            long now = System.nanoTime();
            if (lastArrival != 0) {
                longestGapNanos = Math.max(longestGapNanos, now - lastArrival);
            }
            lastArrival = now;
            if (seen.get(seq)) {
                duplicates++;
            } else {
                seen.set(seq);
                unique++;
            }
            if (seq != last + 1) {
                outOfOrder++;
            }
            last = seq;
            instances.add(m.resource());
            received++;
            if (unique == TOTAL) {
                done.countDown();
            }
        }

        int count() {
            return received;
        }

        void awaitCount(int n, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (received < n) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("sink stuck at " + received + " < " + n);
                }
                Thread.sleep(1);
            }
        }
    }
}
