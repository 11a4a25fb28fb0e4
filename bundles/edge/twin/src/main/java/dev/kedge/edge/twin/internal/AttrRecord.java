package dev.kedge.edge.twin.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One row of {@code device_attr}: a static attribute of a device. */
record AttrRecord(String name, String description, String value, boolean optional, String type, String metadata) {

    /** KubeEdge's {@code MsgAttr}: {@code {value, optional, metadata:{type}}}. */
    ObjectNode toMsgAttr() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("value", value == null ? "" : value);
        n.put("optional", optional);
        ObjectNode meta = n.putObject("metadata");
        if (type != null && !type.isEmpty()) {
            meta.put("type", type);
        }
        return n;
    }
}
