package dev.kedge.cloud.device.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.cloud.device.DeviceInfo;
import dev.kedge.cloud.sync.ObjectSyncLedger;
import dev.kedge.core.NamedCounters;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Operations;
import dev.kedge.core.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The DeviceController without OSGi: downstream informers, upstream reports, link events from CloudHub. A report
 * is accepted only for a device bound to the node CloudHub names in the resource (the node of the edge's
 * certificate).
 */
final class Controller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Controller.class);
    static final String MEMBERSHIP_DETAIL = "membership/detail";

    private final NamedCounters counters = new NamedCounters();
    private final Downstream downstream;
    private final StatusWriter status;

    Controller(KubernetesClient client, MessageBus bus, Supplier<ObjectSyncLedger> ledger, Settings settings) {
        this.downstream = new Downstream(client, bus, ledger, settings, counters);
        this.status = new StatusWriter(client, bus, settings, counters, downstream::device, downstream::served);
    }

    void start() {
        downstream.start();
        status.start();
    }

    boolean started() {
        return downstream.started();
    }

    @Override
    public void close() {
        downstream.close();
        status.close();
    }

    /** A message from CloudHub: a link event, a device report or a membership request. */
    void receive(Message m) {
        if (m.isResponse()) {
            counters.increment("upstream.ignoredResponses");
            return;
        }
        String resource = m.resource() == null ? "" : m.resource();
        if (Operations.CONNECTED.equals(m.operation()) || Operations.DISCONNECTED.equals(m.operation())) {
            String node = node(resource);
            if (node == null) {
                counters.increment("upstream.malformed");
                LOG.error("{} event without a node in '{}'", m.operation(), resource);
            } else if (Operations.CONNECTED.equals(m.operation())) {
                downstream.reconnected(node);
            }
            counters.increment("link." + m.operation());
            return;
        }
        if (resource.endsWith("/" + MEMBERSHIP_DETAIL) && node(resource) != null) {
            counters.increment("upstream.membershipDetail");
            downstream.detailRequested(node(resource));
            return;
        }
        if (!EdgeReport.isReport(resource)) {
            counters.increment("upstream.unknownResource");
            LOG.warn("upstream {} {} is not for the DeviceController", m.operation(), resource);
            return;
        }
        EdgeReport r;
        try {
            r = EdgeReport.parse(m);
        } catch (IllegalArgumentException e) {
            counters.increment("upstream.malformed");
            LOG.error("device report {} {} dropped: {}", m.operation(), resource, e.getMessage());
            return;
        }
        String bound = downstream.boundNode(r.key());
        if (!r.node().equals(bound)) {
            counters.increment("upstream.notBound");
            LOG.warn("report for Device {} from node {} refused: the device is bound to {}", r.key(), r.node(),
                    bound == null ? "no node" : bound);
            return;
        }
        counters.increment(r.kind() == EdgeReport.Kind.TWIN ? "upstream.twinReports" : "upstream.stateReports");
        status.submit(r, m);
    }

    List<DeviceInfo> devices() {
        List<DeviceInfo> infos = new ArrayList<>();
        new TreeMap<>(downstream.devices()).forEach((key, d) -> {
            StatusWriter.ReportInfo r = status.info(key);
            JsonNode st = d.object().path("status");
            String state = r != null && !r.state().isEmpty() ? r.state() : st.path("state").asText("");
            int reported = r != null ? r.reportedTwins() : st.path("twins").size();
            String bound = downstream.boundNode(key);
            infos.add(new DeviceInfo(d.namespace(), d.name(), d.nodeName(), bound == null ? "" : bound, d.model(),
                    state, d.desired().size(), reported, r == null ? 0 : r.lastReportMillis(), downstream.problem(key)));
        });
        return infos;
    }

    Map<String, Long> counters() {
        Map<String, Long> all = new TreeMap<>(counters.snapshot());
        all.putAll(status.latencies());
        return all;
    }

    private static String node(String resource) {
        String[] parts = resource.split("/");
        return parts.length >= 2 && Resource.NODE_PREFIX.equals(parts[0]) && !parts[1].isEmpty() ? parts[1] : null;
    }
}
