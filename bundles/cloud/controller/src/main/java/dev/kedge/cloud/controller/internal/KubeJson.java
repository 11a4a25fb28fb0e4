package dev.kedge.cloud.controller.internal;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.Message;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * Kubernetes objects to and from message content with the client's own mapper: the model's time fields (a Lease's
 * {@code renewTime} is a {@code ZonedDateTime}) need its Java-time support, which the plain codec mapper lacks.
 */
final class KubeJson {
    private final KubernetesSerialization serialization;

    KubeJson(KubernetesSerialization serialization) {
        this.serialization = serialization;
    }

    /** The object as message content: a JSON tree. */
    JsonNode tree(Object object) {
        return serialization.convertValue(object, JsonNode.class);
    }

    /** The content as a model object; a JSON-string content is parsed. Wrong shapes: IllegalArgumentException. */
    <T> T read(Message m, Class<T> type) {
        Object c = m.content();
        if (c == null) {
            throw new IllegalArgumentException("no content, expected a " + type.getSimpleName());
        }
        try {
            return c instanceof String s ? serialization.unmarshal(s, type) : serialization.convertValue(c, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("content is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** A part of a content tree (e.g. {@code Status} of a nodestatus request) as a model object. */
    <T> T read(JsonNode node, Class<T> type) {
        try {
            return serialization.convertValue(node, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
