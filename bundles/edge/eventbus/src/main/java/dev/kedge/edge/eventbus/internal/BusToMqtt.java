package dev.kedge.edge.eventbus.internal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.CloudLink;
import dev.kedge.core.Message;
import dev.kedge.core.Operations;
import dev.kedge.core.json.Json;

/**
 * Bus → MQTT, KubeEdge's {@code pubCloudMsgToEdge}: {@code publish} (resource = topic, content = payload),
 * {@code subscribe}/{@code unsubscribe} (resource = topic filter, kept in {@code sub_topics}), {@code message}
 * (content {@code {message: {topic, ...}}} from the cloud Router: the inner object is published on its topic) and
 * {@code get_result} of {@code auth_info}. Runs on EventBus's mailbox thread and never blocks it: publishes are
 * asynchronous and bounded, table writes complete on the store's writer.
 */
final class BusToMqtt {
    static final String GET_RESULT = "get_result";
    static final String AUTH_INFO = "auth_info";
    private static final Logger LOG = LoggerFactory.getLogger(BusToMqtt.class);

    private final List<BrokerConnection> links;
    private final Subscriptions subscriptions;
    private final SubTopicTable table;
    private final Counters counters;
    private final Supplier<String> nodeName;

    BusToMqtt(List<BrokerConnection> links, Subscriptions subscriptions, SubTopicTable table, Counters counters,
            Supplier<String> nodeName) {
        this.links = links;
        this.subscriptions = subscriptions;
        this.table = table;
        this.counters = counters;
        this.nodeName = nodeName;
    }

    void handle(Message m) {
        if (CloudLink.isLinkState(m)) {
            return; // EdgeHub tells the bus group of the cloud link too; MQTT traffic is local and goes on either way
        }
        try {
            switch (m.operation()) {
                case Operations.PUBLISH -> publish(m.resource(), payload(m.content()));
                case Operations.SUBSCRIBE -> subscribe(m.resource());
                case Operations.UNSUBSCRIBE -> unsubscribe(m.resource());
                case Operations.MESSAGE -> routerMessage(m);
                case GET_RESULT -> authInfo(m);
                default -> bad(m, "unknown operation");
            }
        } catch (IllegalArgumentException e) {
            bad(m, e.getMessage());
        }
    }

    /** Publishes to every broker of the mode; returns how many took it. */
    int publish(String topic, byte[] payload) {
        Subscriptions.validateTopic(topic);
        int taken = 0;
        for (BrokerConnection l : links) {
            if (l.publish(topic, payload)) {
                taken++;
            }
        }
        return taken;
    }

    private void subscribe(String filter) {
        Subscriptions.validateFilter(filter);
        if (subscriptions.isDefault(filter)) {
            return;
        }
        subscriptions.add(filter);
        links.forEach(l -> l.subscribe(filter));
        table.add(filter).whenComplete((n, e) -> storeResult("insert", filter, e));
        LOG.info("EventBus subscribed {}", filter);
    }

    private void unsubscribe(String filter) {
        Subscriptions.validateFilter(filter);
        if (subscriptions.isDefault(filter)) {
            throw new IllegalArgumentException(filter + " is a built-in subscription");
        }
        subscriptions.remove(filter);
        links.forEach(l -> l.unsubscribe(filter));
        table.remove(filter).whenComplete((n, e) -> storeResult("delete", filter, e));
        LOG.info("EventBus unsubscribed {}", filter);
    }

    private void storeResult(String what, String filter, Throwable e) {
        if (e != null) {
            counters.errors.increment();
            LOG.error("EventBus could not {} {} in sub_topics: {}", what, filter, e.getMessage());
        }
    }

    private void routerMessage(Message m) {
        JsonNode inner = tree(m.content()).path("message");
        JsonNode topic = inner.path("topic");
        if (!inner.isObject() || !topic.isTextual()) {
            throw new IllegalArgumentException("content has no message.topic");
        }
        publish(topic.asText(), json(inner));
    }

    private void authInfo(Message m) {
        if (!AUTH_INFO.equals(m.resource())) {
            LOG.info("EventBus skips get_result for {}: only auth_info is published", m.resource());
            return;
        }
        publish(KubeEdgeTopics.authInfoResultTopic(nodeName.get()), json(m.content()));
    }

    private void bad(Message m, String why) {
        counters.errors.increment();
        if (Counters.worthLogging(counters.errors)) {
            LOG.error("EventBus refused {} {} from {}: {}", m.operation(), m.resource(), m.source(), why);
        }
    }

    /** The payload of a {@code publish}: text as UTF-8, bytes as they are (KubeEdge takes []byte or string). */
    static byte[] payload(Object content) {
        if (content == null) {
            throw new IllegalArgumentException("publish without content");
        }
        if (content instanceof byte[] b) {
            return b;
        }
        if (content instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
        if (content instanceof JsonNode n && n.isTextual()) {
            return n.asText().getBytes(StandardCharsets.UTF_8);
        }
        return json(content);
    }

    private static JsonNode tree(Object content) {
        if (content instanceof JsonNode n) {
            return n;
        }
        try {
            if (content instanceof String s) {
                return Json.parse(s);
            }
            return Json.tree(content);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("content is not JSON: " + e.getMessage());
        }
    }

    private static byte[] json(Object value) {
        try {
            return Json.writeBytes(Json.tree(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("content cannot be written as JSON: " + e.getMessage());
        }
    }
}
