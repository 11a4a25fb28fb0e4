package dev.kedge.cloud.device.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.cloud.sync.AckCheck;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Operations;
import dev.kedge.core.ResourceVersions;

/**
 * Downstream messages to CloudHub. DeviceModels and Devices go as objects: insert the first time, update when newer,
 * delete; a version the node was already sent, or acked before a restart (the ObjectSync ledger), is skipped.
 * Downstream worker thread only.
 */
final class Sends {
    private static final Logger LOG = LoggerFactory.getLogger(Sends.class);

    private final MessageBus bus;
    private final AckCheck acked;
    private final NamedCounters counters;
    private final Runnable failed;
    /** Node → object uid → resourceVersion sent. */
    private final Map<String, Map<String, String>> sentVersions = new HashMap<>();

    /** {@code failed}: a message did not reach CloudHub (a resync retries). */
    Sends(MessageBus bus, Supplier<ObjectSyncLedger> ledgers, Settings settings, NamedCounters counters,
            Runnable failed) {
        this.bus = bus;
        this.acked = new AckCheck(ledgers, settings.ledgerWait());
        this.counters = counters;
        this.failed = failed;
    }

    /** What the node was sent is void: the next inserts ask the ledger again. */
    void forget(String node) {
        sentVersions.remove(node);
    }

    /** Insert/update skip what the node was sent, or acked before a restart, at this version or later. */
    void object(String node, String op, String type, JsonNode obj) {
        if (obj == null) {
            return;
        }
        String uid = obj.path("metadata").path("uid").asText("");
        String rv = obj.path("metadata").path("resourceVersion").asText("");
        Map<String, String> sent = sentVersions.computeIfAbsent(node, n -> new HashMap<>());
        if (Operations.DELETE.equals(op)) {
            if (send(node, Frames.object(node, op, type, obj), op + "." + type)) {
                sent.remove(uid);
            }
            return;
        }
        String previous = sent.get(uid);
        if (previous != null && !ResourceVersions.newerOrDifferent(rv, previous)) {
            counters.increment("downstream.unchanged");
            return;
        }
        if (previous == null && acked.ackedAlready(node, uid, rv)) {
            sent.put(uid, rv);
            counters.increment("downstream.skippedByLedger");
            return;
        }
        String actual = previous == null ? Operations.INSERT : Operations.UPDATE;
        if (send(node, Frames.object(node, actual, type, obj), actual + "." + type)) {
            sent.put(uid, rv);
        }
    }

    /** False when CloudHub did not take it; {@code what} names the counter. */
    boolean send(String node, Message m, String what) {
        try {
            bus.send(ModuleNames.CLOUDHUB, m);
            counters.increment("downstream." + what);
            return true;
        } catch (BusException e) {
            counters.increment("downstream.sendFailed");
            failed.run();
            LOG.error("{} for node {} not handed to CloudHub ({}); a resync will retry", what, node, e.getMessage());
            return false;
        }
    }
}
