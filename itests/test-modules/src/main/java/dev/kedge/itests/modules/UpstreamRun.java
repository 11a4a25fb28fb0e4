package dev.kedge.itests.modules;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.BusException;
import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.ModuleNames;
import dev.kedge.core.Operations;

/** The result of one {@code itest:edge-up} run. */
public record UpstreamRun(int count, int answered, int retried, int failed, long ms) {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamRun.class);
    static final UpstreamRun NONE = new UpstreamRun(0, 0, 0, 0, 0);

    /**
     * Sends {@code count} sync configmap queries to EdgeHub, one after the other. A failed attempt (bus timeout, or
     * the {@code error} response EdgeHub gives while the cloud is unreachable) is retried with the SAME message, so
     * a late answer to an earlier attempt still completes it and the cloud sees the msg_id again.
     */
    static UpstreamRun run(MessageBus bus, int count, Duration timeout, int retries, long retryDelayMs,
            long intervalMs) {
        long start = System.nanoTime();
        int answered = 0, retried = 0, failed = 0;
        for (int i = 0; i < count && !Thread.currentThread().isInterrupted(); i++) {
            if (i > 0 && intervalMs > 0 && !pause(intervalMs)) {
                break;
            }
            Message query = Message.create("itest", ModuleNames.ROUTE_RESOURCE, Operations.QUERY,
                    "default/configmap/q-" + i, null);
            boolean ok = false;
            for (int attempt = 0; attempt <= retries && !ok; attempt++) {
                if (attempt > 0) {
                    retried++;
                    if (!pause(retryDelayMs)) {
                        break;
                    }
                }
                ok = attempt(bus, query, timeout);
            }
            if (ok) {
                answered++;
            } else {
                failed++;
            }
        }
        return new UpstreamRun(count, answered, retried, failed, (System.nanoTime() - start) / 1_000_000);
    }

    private static boolean attempt(MessageBus bus, Message query, Duration timeout) {
        Message resp;
        try {
            resp = bus.sendSync(ModuleNames.EDGEHUB, query, timeout);
        } catch (BusException e) {
            LOG.debug("query {} attempt failed: {} {}", query.id(), e.reason(), e.getMessage());
            return false;
        }
        if (Operations.ERROR.equals(resp.operation())) {
            LOG.debug("query {} answered with error: {}", query.id(), resp.content());
            return false;
        }
        // no ack here: EdgeHub acks every answer that carries an object when it hands it over
        return true;
    }

    /** Sleeps {@code ms}; false (interrupt flag kept) when interrupted. */
    static boolean pause(long ms) {
        if (ms <= 0) {
            return true;
        }
        try {
            Thread.sleep(ms);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String summary() {
        return "EDGE-UP count=" + count + " answered=" + answered + " retried=" + retried + " failed=" + failed
                + " ms=" + ms;
    }
}
