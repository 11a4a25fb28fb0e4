package dev.kedge.core;


/**
 * KubeEdge's split of downstream messages into those the edge must ack and fire-and-forget ones
 * ({@code noAckRequired}). CloudHub queues by it; EdgeHub acks by it, so neither side sends what the other ignores.
 */
public final class AckPolicy {
    private static final String[] NO_ACK_RESOURCES = {ResourceTypes.POD_LIST, ResourceTypes.MEMBERSHIP,
        "twin/cloud_updated", ResourceTypes.SERVICE_ACCOUNT_TOKEN, "k8s/ca.crt"};
    private static final String[] NO_ACK_TYPES = {ResourceTypes.LEASE, ResourceTypes.NODE_PATCH,
        ResourceTypes.POD_PATCH, ResourceTypes.POD_STATUS, ResourceTypes.CERTIFICATE_SIGNING_REQUEST};

    private AckPolicy() {
    }

    /** True when the edge must ack {@code m} (cloud form {@code node/<id>/…} or wire form {@code <ns>/<type>/…}). */
    public static boolean needsAck(Message m) {
        String resource = m.resource();
        for (String r : NO_ACK_RESOURCES) {
            if (resource.contains(r)) {
                return false;
            }
        }
        if (!ModuleNames.ROUTE_RESOURCE.equals(m.group())) {
            return false; // user, twin, taskmanager … are fire-and-forget
        }
        if (ModuleNames.TASKMANAGER.equals(m.source()) || "nodeupgradejobcontroller".equals(m.source())) {
            return false;
        }
        // EdgeController's messages by type first (KubeEdge's noAckRequired): node messages other than updates, leases,
        // patches, status and pod answers are fire-and-forget, answers included — the edge retries those itself
        String type = type(resource);
        if (ResourceTypes.NODE.equals(type)) {
            return Operations.UPDATE.equals(m.operation());
        }
        for (String t : NO_ACK_TYPES) {
            if (t.equals(type)) {
                return false;
            }
        }
        if (Operations.RESPONSE.equals(m.operation()) || Operations.ERROR.equals(m.operation())) {
            // answers to edge queries (configmaps, secrets) carry objects and are acked; plain "OK"/errors are not
            return !ResourceTypes.POD.equals(type) && !Operations.OK.equals(m.content())
                    && Operations.RESPONSE.equals(m.operation());
        }
        return true;
    }

    private static String type(String resource) {
        try {
            return resource.startsWith(Resource.NODE_PREFIX + Resource.SEP) ? Resource.parseCloud(resource).type()
                    : Resource.parseEdge("", resource).type();
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
