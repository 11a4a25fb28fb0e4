package dev.kedge.core.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleInfo;
import dev.kedge.core.monitor.MetricSource;
import dev.kedge.core.monitor.MetricWriter;

/** The bus's mailboxes as metrics, one series per module: what {@code bus:modules} shows. */
@Component(service = MetricSource.class)
public final class BusMetrics implements MetricSource {
    private final MessageBus bus;

    @Activate
    public BusMetrics(@Reference MessageBus bus) {
        this.bus = bus;
    }

    @Override
    public void collect(MetricWriter out) {
        for (ModuleInfo m : bus.modules()) {
            String[] module = {"module", m.name()};
            out.gauge("kedge_bus_mailbox_depth", "Messages queued in a module's mailbox", m.depth(), module);
            out.gauge("kedge_bus_mailbox_capacity", "Bound of a module's mailbox", m.capacity(), module);
            out.gauge("kedge_bus_module_active", "1 while a module service consumes its mailbox",
                    "ACTIVE".equals(m.state()) ? 1 : 0, module);
            out.counter("kedge_bus_delivered_total", "Messages delivered to a module", m.delivered(), module);
            out.counter("kedge_bus_rejected_total", "Sends that failed because the mailbox stayed full", m.rejected(),
                    module);
            out.counter("kedge_bus_errors_total", "Messages whose receive threw", m.errors(), module);
        }
    }
}
