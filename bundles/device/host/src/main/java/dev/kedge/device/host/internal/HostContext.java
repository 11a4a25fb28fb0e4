package dev.kedge.device.host.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.kedge.core.Message;
import dev.kedge.edge.twin.TwinEntry;

/**
 * What every {@link DeviceRunner} shares: settings, the driver pool, the way to DeviceTwin (reports out, desired
 * values in), counters.
 */
record HostContext(HostSettings settings, ExecutorService pool, Consumer<Message> toTwin,
        Function<String, List<TwinEntry>> twins, HostCounters counters) {
}
