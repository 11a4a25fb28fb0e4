package dev.kedge.itests.modules.command;

import java.time.Duration;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import dev.kedge.itests.modules.EdgeApplier;

/** Upstream load: sequential sync configmap queries through EdgeHub to the cloud. */
@Service
@Command(scope = "itest", name = "edge-up", description = "Send sync queries default/configmap/q-<i> to the cloud, retrying failed ones with the same msg_id")
public class EdgeUpCommand implements Action {

    // optional: Karaf registers a bundle's commands only when every mandatory reference is there, and each side
    // configures only one of the two components
    @Reference(optional = true)
    private EdgeApplier applier;

    @Argument(index = 0, name = "count", description = "Number of queries (q-0 .. q-<count-1>)", required = true)
    private int count;

    @Option(name = "--timeout-ms", description = "Wait per attempt for the answer")
    private long timeoutMs = 10_000;

    @Option(name = "--retries", description = "Further attempts after a timeout or error answer")
    private int retries = 3;

    @Option(name = "--retry-delay-ms", description = "Pause before each retry (an offline EdgeHub answers at once)")
    private long retryDelayMs = 500;

    @Option(name = "--interval-ms", description = "Pause between queries, to spread the load over time")
    private long intervalMs;

    @Override
    public Object execute() {
        if (applier == null) {
            throw new IllegalStateException("not active here: configure PID dev.kedge.itests.edgeapplier");
        }
        System.out.println(applier.upstream(count, Duration.ofMillis(timeoutMs), retries, retryDelayMs, intervalMs)
                .summary());
        return null;
    }
}
