package dev.kedge.itests.hotswap;

import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;

/**
 * Module {@value #NAME}: relays every message to {@value #SINK}, stamped (in route.resource) with the id of this
 * instance, so a test can see which instance handled which message while the bundle is updated underneath.
 */
@Component(property = { Module.NAME + "=" + RelayModule.NAME, Module.GROUP + "=" + RelayModule.NAME })
public final class RelayModule implements Module {
    public static final String NAME = "hotswap-relay";
    public static final String SINK = "hotswap-sink";

    private final MessageBus bus;
    private final String instance = UUID.randomUUID().toString();

    @Activate
    public RelayModule(@Reference MessageBus bus) {
        this.bus = bus;
    }

    @Override
    public void receive(dev.kedge.core.Message message) {
        bus.send(SINK, message.withResource(instance));
    }
}
