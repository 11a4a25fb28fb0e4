package dev.kedge.core;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A beehive message, immutable. {@code content} is any JSON value: in-process it may be a {@link String}, a Jackson
 * {@code JsonNode}, a {@code byte[]} (base64 on the wire, as Go encodes it) or any object Jackson can write;
 * decoded from the wire it is a {@link String} for JSON strings, {@code null} for null, a {@code JsonNode} otherwise.
 */
public record Message(MessageHeader header, MessageRoute route, Object content) {

    public Message {
        if (header == null || route == null) {
            throw new IllegalArgumentException("message needs a header and a route");
        }
    }

    /** A new message with a fresh UUID and the current time, like beehive's {@code NewMessage("")}. */
    public static Message create(String source, String group, String operation, String resource, Object content) {
        return new Message(new MessageHeader(newId(), "", System.currentTimeMillis(), "", false, ""),
                new MessageRoute(source, "", group, operation, resource), content);
    }

    /**
     * The response to {@code request}: new id, {@code parent_msg_id} = the request's id, same source, group and
     * resource, operation {@code response} (beehive's {@code NewRespByMessage}).
     */
    public static Message responseTo(Message request, Object content) {
        return replyTo(request, Operations.RESPONSE, content);
    }

    /** An {@code error} reply to {@code request}, carrying a reason. */
    public static Message errorTo(Message request, String reason) {
        return replyTo(request, Operations.ERROR, reason);
    }

    private static Message replyTo(Message request, String operation, Object content) {
        MessageRoute r = request.route();
        return new Message(new MessageHeader(newId(), request.id(), System.currentTimeMillis(), "", false, ""),
                new MessageRoute(r.source(), "", r.group(), operation, r.resource()), content);
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    public String id() {
        return header.id();
    }

    public String parentId() {
        return header.parentId();
    }

    public boolean isResponse() {
        return !header.parentId().isEmpty();
    }

    public String source() {
        return route.source();
    }

    public String group() {
        return route.group();
    }

    public String operation() {
        return route.operation();
    }

    public String resource() {
        return route.resource();
    }

    public Message withResource(String resource) {
        return new Message(header, route.withResource(resource), content);
    }

    public Message withResourceVersion(String resourceVersion) {
        return new Message(new MessageHeader(header.id(), header.parentId(), header.timestamp(), resourceVersion,
                header.sync(), header.type()), route, content);
    }

    public Message withSync(boolean sync) {
        return new Message(new MessageHeader(header.id(), header.parentId(), header.timestamp(),
                header.resourceVersion(), sync, header.type()), route, content);
    }

    public Message withContent(Object newContent) {
        return new Message(header, route, newContent);
    }

    /** Content as text: a JSON string as is, anything else as its JSON. What beehive's {@code GetContentData} gives. */
    public String contentAsString() {
        return content instanceof String s ? s : MessageCodec.contentJson(this);
    }

    /** The record's form; a tree content written by Json, as {@code JsonNode.toString()} would load ObjectMapper. */
    @Override
    public String toString() {
        Object c = content instanceof JsonNode ? MessageCodec.contentJson(this) : content;
        return "Message[header=" + header + ", route=" + route + ", content=" + c + "]";
    }
}
