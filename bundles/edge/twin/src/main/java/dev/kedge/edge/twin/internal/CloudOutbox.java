package dev.kedge.edge.twin.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.kedge.edge.store.EdgeStore;

/**
 * Kedge's improvement over KubeEdge, which drops twin reports made while the cloud is away: every report is written
 * to {@code twin_outbox} in the same transaction as the twin, one row per twin and per device state (a newer report
 * replaces an older one), and sent once the link is up — on {@code cloud_connected}, and after each commit while
 * connected. A row leaves the table only after EdgeHub took it, and only if no newer report replaced it meanwhile.
 */
final class CloudOutbox {
    private static final Logger LOG = LoggerFactory.getLogger(CloudOutbox.class);
    private static final char SEP = '|'; // allowed neither in device ids nor in twin keys

    private final EdgeStore store;
    private final TwinRows rows;
    private final Publisher publisher;
    private final BooleanSupplier connected;
    private final int batch;
    private final int capacity;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong seq;
    private final TwinCounters counters;

    CloudOutbox(EdgeStore store, TwinRows rows, Publisher publisher, BooleanSupplier connected, TwinSettings s,
            TwinCounters counters) {
        this.store = store;
        this.rows = rows;
        this.publisher = publisher;
        this.connected = connected;
        this.batch = s.flushBatch();
        this.capacity = s.outboxCapacity();
        this.counters = counters;
        this.seq = new AtomicLong(store.read(TwinRows::maxSeq));
    }

    TwinRows.Pending twin(String deviceId, TwinRecord t) {
        return new TwinRows.Pending(TwinRows.KIND_TWIN + SEP + deviceId + SEP + t.name(), TwinRows.KIND_TWIN, deviceId,
                Json.write(t.toMsgTwin(true)), seq.incrementAndGet());
    }

    TwinRows.Pending state(String deviceId, String payload) {
        return new TwinRows.Pending(TwinRows.KIND_STATE + SEP + deviceId, TwinRows.KIND_STATE, deviceId, payload,
                seq.incrementAndGet());
    }

    /** Asks for a send round on the publishing thread, unless one is already waiting or the cloud is away. */
    void request() {
        if (connected.getAsBoolean() && scheduled.compareAndSet(false, true) && !publisher.submit(this::flush)) {
            scheduled.set(false);
        }
    }

    long pending() {
        return store.read(c -> TwinRows.count(c, "twin_outbox"));
    }

    /** Keeps the table within its bound, oldest reports first out; runs on the shared scheduler. */
    void trim() {
        try {
            int dropped = store.write("twin outbox trim", c -> rows.trim(c, capacity)).get(30, TimeUnit.SECONDS);
            if (dropped > 0) {
                LOG.error("twin outbox over its bound of {}: the {} oldest reports for the cloud were dropped",
                        capacity, dropped);
            }
        } catch (Exception e) {
            LOG.error("twin outbox trim failed: {}", e.getMessage());
        }
    }

    private void flush() {
        scheduled.set(false);
        if (!connected.getAsBoolean()) {
            return;
        }
        List<TwinRows.Pending> next = store.read(c -> TwinRows.oldestPending(c, batch));
        if (next.isEmpty()) {
            return;
        }
        Map<String, ObjectNode> twinsByDevice = new LinkedHashMap<>();
        Map<String, List<TwinRows.Pending>> rowsByDevice = new LinkedHashMap<>();
        List<TwinRows.Pending> sent = new ArrayList<>();
        boolean stopped = false;
        for (TwinRows.Pending p : next) {
            if (TwinRows.KIND_STATE.equals(p.kind())) {
                if (!publisher.toCloud("device/" + p.deviceId() + "/state/update", p.content())) {
                    stopped = true;
                    break;
                }
                sent.add(p);
                continue;
            }
            ObjectNode twins = twinsByDevice.computeIfAbsent(p.deviceId(), k -> Json.object());
            twins.set(p.key().substring(p.key().lastIndexOf(SEP) + 1), parse(p.content()));
            rowsByDevice.computeIfAbsent(p.deviceId(), k -> new ArrayList<>()).add(p);
        }
        if (!stopped) {
            for (Map.Entry<String, ObjectNode> e : twinsByDevice.entrySet()) {
                ObjectNode content = Payloads.twin(Payloads.fresh(), e.getValue());
                if (!publisher.toCloud("device/" + e.getKey() + "/twin/edge_updated", content)) {
                    break;
                }
                sent.addAll(rowsByDevice.get(e.getKey()));
            }
        }
        if (sent.isEmpty()) {
            return;
        }
        try {
            // wait for the delete, so the next round does not send these rows again
            store.write("twin outbox sent", c -> {
                for (TwinRows.Pending p : sent) {
                    rows.deleteSent(c, p);
                }
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.error("sent reports not removed from the outbox (they will be sent again): {}", e.getMessage());
            return;
        }
        if (next.size() == batch && sent.size() == next.size()) {
            request();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return Json.read(json);
        } catch (Exception e) {
            return TextNode.valueOf(json);
        }
    }
}
