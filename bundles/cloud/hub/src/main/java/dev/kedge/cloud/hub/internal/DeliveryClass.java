package dev.kedge.cloud.hub.internal;

import dev.kedge.core.Message;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;

/** KubeEdge's split of downstream messages into those the edge must ack and fire-and-forget ones. */
final class DeliveryClass {
    private static final String[] NO_ACK_RESOURCES = {"podlist", "membership", "twin/cloud_updated",
        "serviceaccounttoken", "k8s/ca.crt"};
    private static final String[] NO_ACK_TYPES = {"lease", "nodepatch", "podpatch", "podstatus",
        "certificatesigningrequest"};

    private DeliveryClass() {
    }

    static boolean needsAck(Message m) {
        String resource = m.resource();
        for (String r : NO_ACK_RESOURCES) {
            if (resource.contains(r)) {
                return false;
            }
        }
        if (!ModuleNames.ROUTE_RESOURCE.equals(m.group())) {
            return false; // user, twin, taskmanager … are fire-and-forget
        }
        if ("taskmanager".equals(m.source()) || "nodeupgradejobcontroller".equals(m.source())) {
            return false;
        }
        if (Operations.RESPONSE.equals(m.operation()) || Operations.ERROR.equals(m.operation())) {
            // answers to edge queries carry objects and are acked; plain "OK"/errors are not
            return !Operations.OK.equals(m.content()) && Operations.RESPONSE.equals(m.operation());
        }
        String type = type(resource);
        if ("node".equals(type)) {
            return Operations.UPDATE.equals(m.operation());
        }
        for (String t : NO_ACK_TYPES) {
            if (t.equals(type)) {
                return false;
            }
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
