package dev.kedge.edge.edged.internal;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;
import dev.kedge.core.SharedScheduler;
import dev.kedge.core.json.Json;

/**
 * The start-up list of every pod in {@code meta}, as KubeEdge's edged asks for it: a sync {@code query} of type
 * {@code pod} in all namespaces, answered by MetaManager locally even offline. Retried until answered; it waits
 * (at most 10 s) for the node name to settle, since pods are filtered by it. Runs on the pod pool.
 */
final class MetaPodList {
    private static final Logger LOG = LoggerFactory.getLogger(MetaPodList.class);
    static final Duration RETRY = Duration.ofSeconds(2);
    static final String ALL_PODS = "*/pod";

    private final MessageBus bus;
    private final SharedScheduler scheduler;
    private final Executor pool;
    private final Clock clock;
    private final Duration timeout;
    private final Consumer<List<JsonNode>> taken;
    private final Instant createdAt;
    private volatile BooleanSupplier nameSettled = () -> true;
    private volatile boolean stopped;

    MetaPodList(MessageBus bus, SharedScheduler scheduler, Executor pool, Clock clock, Duration timeout,
            Consumer<List<JsonNode>> taken) {
        this.bus = bus;
        this.scheduler = scheduler;
        this.pool = pool;
        this.clock = clock;
        this.timeout = timeout;
        this.taken = taken;
        this.createdAt = clock.instant();
    }

    void nodeNameSettledWhen(BooleanSupplier settled) {
        this.nameSettled = settled;
    }

    void start() {
        later(Duration.ZERO);
    }

    void stop() {
        stopped = true;
    }

    /** The listing waits for MetaManager's answer: on the pod pool, not on the shared scheduler. */
    private void later(Duration delay) {
        scheduler.schedule("edged pod list", () -> {
            try {
                pool.execute(this::list);
            } catch (RejectedExecutionException e) {
                if (!stopped) {
                    later(RETRY);
                }
            }
        }, delay);
    }

    private void list() {
        if (stopped) {
            return;
        }
        if (!nameSettled.getAsBoolean() && clock.instant().isBefore(createdAt.plusSeconds(10))) {
            later(Duration.ofMillis(200));
            return;
        }
        Message answer;
        try {
            answer = bus.sendSync(ModuleNames.METAMANAGER, Message.create(ModuleNames.EDGED, ModuleNames.GROUP_META,
                    Operations.QUERY, ALL_PODS, ""), timeout);
        } catch (BusException e) {
            LOG.info("pod list from MetaManager not answered ({}); retrying in {} s", e.getMessage(),
                    RETRY.toSeconds());
            later(RETRY);
            return;
        }
        JsonNode list = PodMessages.tree(answer);
        if (Operations.ERROR.equals(answer.operation()) || list == null || !list.isArray()) {
            LOG.warn("pod list from MetaManager failed: {}; retrying", answer.contentAsString());
            later(RETRY);
            return;
        }
        List<JsonNode> pods = new ArrayList<>();
        for (JsonNode row : list) {
            try {
                pods.add(row.isTextual() ? Json.parse(row.asText()) : row);
            } catch (IOException e) {
                LOG.error("a stored pod is malformed JSON; skipped");
            }
        }
        if (!stopped) {
            taken.accept(pods);
        }
    }
}
