package dev.kedge.edge.edged.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageCodec;
import dev.kedge.core.Operations;
import dev.kedge.core.testing.RecordingBus;

/**
 * The recording bus standing in for MetaManager and the cloud behind it: records every message Edged sends and
 * answers sync requests as EdgeController would (the Node with a UID, the Lease with a growing resourceVersion, in
 * KubeEdge's {@code ObjectResp}; bare if {@link #bare} is set), unless a test queues other answers in {@link #next}.
 */
final class FakeMetaManager extends RecordingBus {
    static final String NODE_UID = "6a2f0d6e-0000-4000-8000-00000000000a";

    /** Answers for the next sync requests, in order; empty = the normal cloud answer. */
    final List<Function<Message, Message>> next = new CopyOnWriteArrayList<>();
    private final AtomicInteger resourceVersion = new AtomicInteger(100);
    /** Answer with the bare object, as clouds before the ObjectResp answers did. */
    volatile boolean bare;
    /** What MetaManager's {@code meta} holds for queries, by resource key; a query of all pods lists every pod. */
    final java.util.Map<String, String> meta = new java.util.concurrent.ConcurrentHashMap<>();

    FakeMetaManager() {
        answerSync(this::answer);
        respondResult(false);
    }

    private Message answer(Message request) {
        if (!next.isEmpty()) {
            return next.remove(0).apply(request);
        }
        if (Operations.QUERY.equals(request.operation())) {
            return Message.responseTo(request, query(request.resource()));
        }
        ObjectNode answer = MessageCodec.contentTree(request).deepCopy();
        ObjectNode meta = (ObjectNode) answer.get("metadata");
        if (request.resource().contains("/node/")) {
            meta.put("uid", NODE_UID);
        }
        meta.put("resourceVersion", Integer.toString(resourceVersion.incrementAndGet()));
        if (bare) {
            return Message.responseTo(request, answer);
        }
        ObjectNode resp = MessageCodec.mapper().createObjectNode();
        resp.set("Object", answer);
        resp.putNull("Err");
        return Message.responseTo(request, resp);
    }

    @Override
    public int sendToGroup(String group, Message message) {
        throw new BusException(BusException.Reason.UNROUTABLE, "Edged does not broadcast");
    }

    @Override
    public Message sendToGroupSync(String group, Message message, Duration timeout) {
        throw new BusException(BusException.Reason.UNROUTABLE, "Edged does not broadcast");
    }

    /** KubeEdge's query answer: a JSON array of the stored JSON strings. */
    private com.fasterxml.jackson.databind.node.ArrayNode query(String resource) {
        com.fasterxml.jackson.databind.node.ArrayNode a = MessageCodec.mapper().createArrayNode();
        String type = resource.split("/")[1];
        meta.forEach((k, v) -> {
            if (k.equals(resource) || (resource.startsWith("*/") && k.split("/")[1].equals(type))) {
                a.add(v);
            }
        });
        return a;
    }

    static Function<Message, Message> error(String reason) {
        return m -> Message.errorTo(m, reason);
    }

    /** A KubeEdge ObjectResp failure: a {@code response} whose {@code Err} is set (Go writes a StatusError so). */
    static Function<Message, Message> objectRespErr(String reason) {
        return m -> {
            ObjectNode resp = MessageCodec.mapper().createObjectNode();
            resp.putNull("Object");
            resp.putObject("Err").putObject("ErrStatus").put("message", reason);
            return Message.responseTo(m, resp);
        };
    }

    static Function<Message, Message> timeout() {
        return m -> {
            throw new BusException(BusException.Reason.TIMEOUT, "no answer in time");
        };
    }

    /** Messages for {@code resourceType} (node, nodestatus, lease), in the order sent. */
    List<Message> of(String resourceType) {
        return calls().stream().map(Call::message).filter(m -> m.resource().split("/")[1].equals(resourceType))
                .toList();
    }

    String lastResourceVersion() {
        return Integer.toString(resourceVersion.get());
    }

    /** A content field by JSON pointer. */
    static String at(Message m, String pointer) {
        return MessageCodec.contentTree(m).at(pointer).asText();
    }

    static Message linkEvent(String content) {
        return Message.create("edgehub", "edged", Operations.CONNECT, "node/connection", content);
    }
}
