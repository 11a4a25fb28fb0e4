package dev.kedge.edge.edged.internal;

import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/**
 * Pod reports upstream, KubeEdge's way through MetaManager: {@code update <ns>/podstatus/<name>} with
 * {@code {"UID","Name","Status"}} when the status changed, and {@code delete <ns>/pod/<name>} with the pod UID once
 * a deleted pod's containers are gone (EdgeController then deletes it with a UID precondition).
 */
final class PodStatusReporter {
    private static final Logger LOG = LoggerFactory.getLogger(PodStatusReporter.class);

    private final MessageBus bus;
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder deletes = new LongAdder();

    PodStatusReporter(MessageBus bus) {
        this.bus = bus;
    }

    /** Sends {@code status} unless it is what was sent last; false when the bus refused it. */
    boolean report(PodState st, String namespace, String name, ObjectNode status) {
        if (status.equals(st.lastSent)) {
            return true;
        }
        if (!send(st.uid, namespace, name, status)) {
            return false;
        }
        st.lastSent = status;
        return true;
    }

    /** After a reconnect: the cloud may have missed what was sent while it was away. */
    void resend(PodState st, String namespace, String name) {
        if (st.lastSent instanceof ObjectNode status) {
            send(st.uid, namespace, name, status);
        }
    }

    boolean confirmDelete(String namespace, String name, String uid) {
        try {
            bus.send(ModuleNames.METAMANAGER, Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META,
                    Operations.DELETE, namespace + "/pod/" + name, uid));
            deletes.increment();
            LOG.info("pod {}/{} ({}) stopped: delete confirmed upstream", namespace, name, uid);
            return true;
        } catch (BusException e) {
            failed.increment();
            LOG.warn("delete confirmation of pod {}/{} not sent: {}", namespace, name, e.getMessage());
            return false;
        }
    }

    private boolean send(String uid, String namespace, String name, ObjectNode status) {
        ObjectNode request = status.objectNode();
        request.put("UID", uid);
        request.put("Name", name);
        request.set("Status", status);
        try {
            bus.send(ModuleNames.METAMANAGER, Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META,
                    Operations.UPDATE, namespace + "/podstatus/" + name, request));
            sent.increment();
            return true;
        } catch (BusException e) {
            failed.increment();
            LOG.warn("status of pod {}/{} not sent: {}", namespace, name, e.getMessage());
            return false;
        }
    }
}
