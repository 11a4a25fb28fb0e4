package dev.kedge.edge.twin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.Message;

/**
 * MQTT from mappers, through EventBus ({@code $hw/events/...}): twin update / get, state update, membership get.
 * Replies go to the {@code .../result} topic of the id the mapper used; errors are KubeEdge's {@code Result}.
 */
final class MapperMessages {
    /** Device states a mapper may report ({@code v1beta1} connection states and KubeEdge's older ones). */
    static final Set<String> STATES = Set.of("online", "offline", "unknown", "ok", "unhealthy");

    private final TwinProcessor p;

    MapperMessages(TwinProcessor p) {
        this.p = p;
    }

    void handle(Message m) {
        String topic = Topics.decode(m.resource());
        Topics.Inbound in = topic == null ? null : Topics.parse(topic);
        if (in == null) {
            throw new BadInput("not a DeviceTwin topic");
        }
        switch (in.suffix()) {
            case Topics.TWIN_UPDATE -> twinUpdate(m, in.id());
            case Topics.TWIN_GET -> twinGet(m, in.id());
            case Topics.STATE_UPDATE -> stateUpdate(m, in.id());
            case Topics.MEMBERSHIP_GET -> membershipGet(m, in.id());
            default -> throw new BadInput("topic " + topic + " is not served from mappers");
        }
    }

    private void twinUpdate(Message m, String id) {
        String resultTopic = Topics.device(id, Topics.TWIN_UPDATE_RESULT);
        String eventId = "";
        Map<String, MsgTwin> twins;
        try {
            JsonNode payload = Json.object(m.content(), p.settings.maxPayloadBytes());
            eventId = eventId(payload);
            twins = MsgTwin.mapOf(payload);
        } catch (BadInput e) {
            fail(m, resultTopic, eventId, Payloads.BAD_REQUEST, e.getMessage());
            return;
        }
        long now = System.currentTimeMillis();
        String event = eventId;
        synchronized (p.cache) {
            DeviceRecord d = p.cache.find(id);
            if (d == null) {
                p.counters.unknownDevices.increment();
                reply(resultTopic, Payloads.error(event, Payloads.NOT_FOUND,
                        "Update rejected due to the device is not existed"));
                return;
            }
            TwinLogic.Outcome o = TwinLogic.apply(d.twins, twins, TwinLogic.Source.EDGE, now);
            if (o.error != null) {
                fail(m, resultTopic, event, Payloads.BAD_REQUEST, o.error);
                return;
            }
            d.twins.putAll(o.changed);
            ObjectNode delta = TwinLogic.delta(d.twins);
            List<TwinRows.Pending> reports = new ArrayList<>();
            o.toCloud.values().forEach(t -> reports.add(p.outbox.twin(d.id, t)));
            String deviceId = d.id;
            p.commit("twin update " + deviceId, deviceId, c -> {
                for (TwinRecord t : o.changed.values()) {
                    p.rows.upsertTwin(c, deviceId, t);
                }
                for (TwinRows.Pending r : reports) {
                    p.rows.putPending(c, r);
                }
                return null;
            }, error -> {
                if (error != null) {
                    p.publisher.toMapper(resultTopic, Json.write(Payloads.error(event, Payloads.INTERNAL_ERROR,
                            "Update device twin failed due to writing sql error")));
                    return;
                }
                p.counters.twinUpdates.increment();
                p.publisher.toMapper(resultTopic, Json.write(Payloads.twin(Payloads.base(event, now), o.result)));
                if (!o.document.isEmpty()) {
                    p.publisher.toMapper(Topics.device(id, Topics.TWIN_UPDATE_DOCUMENT),
                            Json.write(Payloads.twin(Payloads.base(event, now), o.document)));
                }
                if (delta != null) {
                    publishDelta(id, delta);
                }
                p.outbox.request();
            });
        }
    }

    void publishDelta(String topicId, ObjectNode delta) {
        ObjectNode payload = Payloads.fresh();
        payload.setAll(delta);
        p.publisher.toMapper(Topics.device(topicId, Topics.TWIN_UPDATE_DELTA), Json.write(payload));
    }

    private void twinGet(Message m, String id) {
        String resultTopic = Topics.device(id, Topics.TWIN_GET_RESULT);
        String eventId = "";
        try {
            eventId = eventId(Json.object(m.content(), p.settings.maxPayloadBytes()));
        } catch (BadInput e) {
            fail(m, resultTopic, eventId, Payloads.BAD_REQUEST, "Unmarshal twin info failed, err: " + e.getMessage());
            return;
        }
        ObjectNode twin = JsonNodeFactory.instance.objectNode();
        synchronized (p.cache) {
            DeviceRecord d = p.cache.find(id);
            if (d == null) {
                p.counters.unknownDevices.increment();
                reply(resultTopic, Payloads.error(eventId, Payloads.NOT_FOUND,
                        "Device " + id + " not found while getting twin"));
                return;
            }
            for (TwinRecord t : d.twins.values()) {
                if (!t.deleted()) {
                    twin.set(t.name(), t.toMsgTwin(false));
                }
            }
        }
        reply(resultTopic, Payloads.twin(Payloads.base(eventId, System.currentTimeMillis()), twin));
    }

    /** KubeEdge answers nothing to a bad or unknown state report; here it is counted and logged. */
    private void stateUpdate(Message m, String id) {
        JsonNode payload = Json.object(m.content(), p.settings.maxPayloadBytes());
        eventId(payload);
        String state = Json.text(payload, "state");
        if (state == null || !STATES.contains(state)) {
            throw new BadInput("state must be one of " + STATES);
        }
        synchronized (p.cache) {
            DeviceRecord d = p.cache.find(id);
            if (d == null) {
                p.counters.unknownDevices.increment();
                p.rateLog.error("state of unknown device " + id + " ignored");
                return;
            }
            d.state = state;
            d.lastOnline = TwinProcessor.now();
            ObjectNode result = Payloads.fresh();
            result.set("device", d.toJson(false, false));
            String payloadText = Json.write(result);
            TwinRows.Pending report = p.outbox.state(d.id, payloadText);
            DeviceRecord snapshot = new DeviceRecord(d.id, d.name, d.description, d.state, d.lastOnline);
            p.commit("state update " + d.id, d.id, c -> {
                p.rows.upsertDevice(c, snapshot);
                p.rows.putPending(c, report);
                return null;
            }, error -> {
                if (error == null) {
                    p.publisher.toMapper(Topics.device(id, Topics.STATE_UPDATE_RESULT), payloadText);
                    p.outbox.request();
                }
            });
        }
    }

    private void membershipGet(Message m, String node) {
        String resultTopic = Topics.node(node, Topics.MEMBERSHIP_GET_RESULT);
        String eventId = "";
        try {
            eventId = eventId(Json.object(m.content(), p.settings.maxPayloadBytes()));
        } catch (BadInput e) {
            fail(m, resultTopic, eventId, Payloads.BAD_REQUEST, "Unmarshal get membership info failed, err: "
                    + e.getMessage());
            return;
        }
        List<JsonNode> devices = new ArrayList<>();
        synchronized (p.cache) {
            for (DeviceRecord d : p.cache.all()) {
                devices.add(d.toJson(true, true));
            }
        }
        reply(resultTopic, Payloads.devices(eventId, devices));
    }

    private static String eventId(JsonNode payload) {
        JsonNode ts = payload.get("timestamp");
        if (ts != null && !ts.isNull() && !ts.isIntegralNumber()) {
            throw new BadInput(MsgTwin.ERR_UNMARSHAL);
        }
        try {
            return Json.textOr(payload, "event_id", "");
        } catch (BadInput e) {
            throw new BadInput(MsgTwin.ERR_UNMARSHAL);
        }
    }

    private void fail(Message m, String topic, String eventId, int code, String reason) {
        p.bad(m, reason);
        reply(topic, Payloads.error(eventId, code, reason));
    }

    private void reply(String topic, ObjectNode payload) {
        String text = Json.write(payload);
        p.publisher.submit(() -> p.publisher.toMapper(topic, text));
    }
}
