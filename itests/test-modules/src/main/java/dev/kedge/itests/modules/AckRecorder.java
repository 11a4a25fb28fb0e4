package dev.kedge.itests.modules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import dev.kedge.core.Message;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Resource;

/**
 * Stand-in for SyncController that keeps, per edge key, the highest resourceVersion the edge acked (CloudHub tells
 * {@code synccontroller} about every ack). Exact and immediate, unlike ObjectSync writes, so a kill test can check
 * that nothing acked was lost. Written by the bus thread, read by console threads.
 */
@Component(name = AckRecorder.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = {Module.class, AckRecorder.class},
        property = {Module.NAME + "=" + ModuleNames.SYNCCONTROLLER, Module.GROUP + "=" + ModuleNames.SYNCCONTROLLER})
public final class AckRecorder implements Module {
    public static final String PID = "dev.kedge.itests.ackrecorder";

    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final AtomicLong acks = new AtomicLong();
    private final AtomicLong firstAckNanos = new AtomicLong();
    private volatile long lastAckNanos;

    @Override
    public void receive(Message m) {
        if (!ModuleNames.CLOUDHUB.equals(m.source())) {
            return;
        }
        long now = System.nanoTime();
        firstAckNanos.compareAndSet(0, now);
        lastAckNanos = now;
        acks.incrementAndGet();
        String key = Resource.parseCloud(m.resource()).toEdge();
        try {
            acked.merge(key, Long.parseLong(m.header().resourceVersion()), Math::max);
        } catch (NumberFormatException e) {
            acked.putIfAbsent(key, -1L);
        }
    }

    /** {@code ACKED acks=… keys=… perSecond=…}, and one {@code key rv} line per object into {@code file}. */
    public String dump(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        acked.forEach((k, v) -> lines.add(k + " " + v));
        Files.write(file, lines);
        long n = acks.get();
        double seconds = (lastAckNanos - firstAckNanos.get()) / 1e9;
        return String.format("ACKED acks=%d keys=%d perSecond=%.0f", n, acked.size(),
                seconds > 0 ? (n - 1) / seconds : 0.0);
    }
}
