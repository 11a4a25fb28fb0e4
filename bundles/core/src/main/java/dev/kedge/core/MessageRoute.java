package dev.kedge.core;

/**
 * KubeEdge's {@code route}: who sent it, to which group, what to do, on which resource.
 * Empty strings stand for absent fields (all are {@code omitempty} on the wire).
 */
public record MessageRoute(String source, String destination, String group, String operation, String resource) {

    public MessageRoute {
        source = MessageHeader.nonNull(source);
        destination = MessageHeader.nonNull(destination);
        group = MessageHeader.nonNull(group);
        operation = MessageHeader.nonNull(operation);
        resource = MessageHeader.nonNull(resource);
    }

    public MessageRoute withResource(String newResource) {
        return new MessageRoute(source, destination, group, operation, newResource);
    }
}
