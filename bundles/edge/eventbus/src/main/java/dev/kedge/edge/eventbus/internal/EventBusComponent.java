package dev.kedge.edge.eventbus.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.SocketFactory;

import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.mqtt.InProcessBroker;
import dev.kedge.edge.eventbus.BrokerLinkStatus;
import dev.kedge.edge.eventbus.EventBus;
import dev.kedge.edge.eventbus.EventBusStatus;
import dev.kedge.edge.hub.EdgeHub;
import dev.kedge.edge.store.EdgeStore;

/**
 * KubeEdge's eventbus as a bus module ({@code eventbus} / {@code bus}): one MQTT client per broker of the mode
 * ({@link BrokerLink}), or, for the internal broker when it is the embedded one of this JVM, no client at all
 * ({@link InProcessLink}); messages in through {@link MqttToBus}, bus messages out through {@link BusToMqtt}.
 * An invalid configuration keeps the component active but idle, with the error in {@code eventbus:status}.
 */
// immediate: it runs from its bundle's start; Karaf's shell used to activate it then, fetching it for a command
@Component(name = EventBusComponent.PID, service = {EventBus.class, Module.class}, immediate = true,
        property = {Module.NAME + "=" + ModuleNames.EVENTBUS, Module.GROUP + "=" + ModuleNames.GROUP_BUS})
@Designate(ocd = EventBusConfig.class)
public final class EventBusComponent implements EventBus, Module {
    public static final String PID = "dev.kedge.edge.eventbus";
    private static final Logger LOG = LoggerFactory.getLogger(EventBusComponent.class);

    private final Counters counters = new Counters();
    private final Subscriptions subscriptions = new Subscriptions();
    private final EventBusSettings settings;
    private final String configError;
    private final List<BrokerConnection> links;
    private final BusToMqtt outbound;
    private final InProcessLink inProcess; // null unless the internal broker is used in process
    private volatile EdgeHub hub;

    @Activate
    public EventBusComponent(@Reference MessageBus bus, @Reference SharedScheduler scheduler,
            @Reference EdgeStore store, EventBusConfig config) {
        EventBusSettings s = null;
        String error = "";
        List<BrokerConnection> made = new ArrayList<>();
        BusToMqtt out = null;
        InProcessLink inProcess = null;
        try {
            s = EventBusSettings.of(config, System.currentTimeMillis());
            SubTopicTable table = new SubTopicTable(store);
            subscriptions.setStored(table.all());
            MqttToBus inbound = new MqttToBus(bus, subscriptions, counters, s.maxPayloadBytes());
            if (s.internalInProcessUsed()) {
                inProcess = new InProcessLink("internal", s.internalUrl(), s.internalPort(), s, subscriptions,
                        inbound::heard, counters);
                made.add(inProcess);
            } else if (s.usesInternal()) {
                made.add(new BrokerLink("internal", s.internalUrl(), s.qos(), s.retain(), null, s, scheduler,
                        subscriptions::all, inbound::arrived, counters));
            }
            if (s.usesExternal()) {
                SocketFactory tls = s.tls() == null ? null : TlsFactory.of(s.tls());
                made.add(new BrokerLink("external", s.externalUrl(), 1, false, tls, s, scheduler, subscriptions::all,
                        inbound::arrived, counters));
            }
            out = new BusToMqtt(List.copyOf(made), subscriptions, table, counters, this::nodeName);
        } catch (MqttException | RuntimeException e) {
            made.forEach(BrokerConnection::close);
            made.clear();
            inProcess = null;
            error = "invalid configuration " + PID + ": " + e.getMessage();
            LOG.error("{}; EventBus stays idle until it is fixed", error);
            s = null;
        }
        this.settings = s;
        this.configError = error;
        this.links = List.copyOf(made);
        this.outbound = out;
        this.inProcess = inProcess;
        if (s == null) {
            return;
        }
        links.forEach(BrokerConnection::start);
        LOG.info("EventBus started in mode {} ({} broker connection(s)), {} subscriptions ({} from sub_topics)",
                s.mode(), links.size(), subscriptions.all().size(), subscriptions.stored().size());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindEmbedded")
    void bindEmbedded(InProcessBroker broker) {
        if (inProcess != null) {
            inProcess.bind(broker);
        }
    }

    void unbindEmbedded(InProcessBroker broker) {
        if (inProcess != null) {
            inProcess.unbind(broker);
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unbindHub")
    void bindHub(EdgeHub edgeHub) {
        this.hub = edgeHub;
    }

    void unbindHub(EdgeHub edgeHub) {
        if (hub == edgeHub) {
            hub = null;
        }
    }

    @Deactivate
    void deactivate() {
        links.forEach(BrokerConnection::close);
    }

    @Override
    public void receive(Message message) {
        if (settings == null) {
            counters.errors.increment();
            if (Counters.worthLogging(counters.errors)) {
                LOG.error("EventBus is not configured ({}); {} {} dropped", configError, message.operation(),
                        message.resource());
            }
            return;
        }
        outbound.handle(message);
    }

    @Override
    public int publish(String topic, byte[] payload) {
        if (settings == null) {
            throw new IllegalStateException(configError);
        }
        return outbound.publish(topic, payload);
    }

    @Override
    public EventBusStatus status() {
        List<BrokerLinkStatus> brokers = links.stream().map(BrokerConnection::status).toList();
        return new EventBusStatus(settings == null ? -1 : settings.mode(), nodeName(), configError, brokers,
                KubeEdgeTopics.DEFAULT_SUBSCRIPTIONS, subscriptions.stored(), counters.received.sum(),
                counters.toTwin.sum(), counters.toHub.sum(), counters.published.sum(), counters.errors.sum(),
                counters.dropped.sum(), counters.malformed.sum(), counters.oversized.sum(),
                counters.unknownTopics.sum());
    }

    /** Configured name, else EdgeHub's (the name the cloud knows this node by), else the host name. */
    private String nodeName() {
        if (settings != null && !settings.nodeName().isEmpty()) {
            return settings.nodeName();
        }
        EdgeHub h = hub;
        if (h != null) {
            String n = h.status().nodeName();
            if (n != null && !n.isBlank()) {
                return n.strip();
            }
        }
        try {
            return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
