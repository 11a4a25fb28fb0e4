package dev.kedge.edge.hub.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import dev.kedge.core.SharedScheduler;

/**
 * Changes EdgeHub's configuration through ConfigurationAdmin and keeps the change through Felix FileInstall's
 * write-back race. FileInstall writes every update back to {@code etc/dev.kedge.edge.hub.cfg} by truncating and
 * rewriting the file, and its own watcher, polling every second, can read the file in between and push the old or
 * half-written content back: the change is undone (seen on a loaded CI machine right after {@code kedge:join}). So
 * for {@link #QUIET} after the write the change is checked every {@link #CHECK}; if it was undone, what was written
 * is written again and the quiet period starts over, {@link #MAX_REWRITES} times at most. The checks are timer
 * tasks on core's scheduler: nobody sleeps on a thread while the file settles.
 */
public final class HubConfigWriter {
    static final Duration QUIET = Duration.ofSeconds(2);
    static final Duration CHECK = Duration.ofMillis(100);
    static final int MAX_REWRITES = 3;

    private final Configuration configuration;
    private final Dictionary<String, Object> written;
    private final Predicate<Dictionary<String, Object>> holds;
    private final SharedScheduler scheduler;
    private final CompletableFuture<Boolean> kept = new CompletableFuture<>();
    private long quietUntil;
    private int rewrites;

    private HubConfigWriter(Configuration configuration, Dictionary<String, Object> written,
            Predicate<Dictionary<String, Object>> holds, SharedScheduler scheduler) {
        this.configuration = configuration;
        this.written = written;
        this.holds = holds;
        this.scheduler = scheduler;
    }

    /**
     * Writes {@code change} applied to EdgeHub's current properties; {@code holds} tells whether the change is still
     * in place (checked on the properties as they are then, which FileInstall may have replaced). The future completes with true once the change held for {@link #QUIET}, false if it was undone more than
     * {@link #MAX_REWRITES} times (or the scheduler stopped); it fails if a write failed.
     */
    public static CompletableFuture<Boolean> write(ConfigurationAdmin admin, SharedScheduler scheduler,
            UnaryOperator<Dictionary<String, Object>> change, Predicate<Dictionary<String, Object>> holds)
            throws IOException {
        Configuration c = admin.getConfiguration(EdgeHubComponent.PID, null);
        Dictionary<String, Object> now = c.getProperties();
        Dictionary<String, Object> next = change.apply(now == null ? new Hashtable<>() : now);
        HubConfigWriter w = new HubConfigWriter(c, next, holds, scheduler);
        c.update(next);
        w.quietUntil = System.nanoTime() + QUIET.toNanos();
        w.checkLater();
        return w.kept;
    }

    private void check() {
        try {
            Dictionary<String, Object> now = configuration.getProperties();
            if (now == null || !holds.test(now)) {
                if (rewrites++ == MAX_REWRITES) {
                    kept.complete(false);
                    return;
                }
                configuration.update(written);
                quietUntil = System.nanoTime() + QUIET.toNanos();
            } else if (System.nanoTime() - quietUntil >= 0) {
                kept.complete(true);
                return;
            }
            checkLater();
        } catch (IOException | RuntimeException e) {
            kept.completeExceptionally(e);
        }
    }

    private void checkLater() {
        try {
            scheduler.schedule("edgehub configuration check", this::check, CHECK);
        } catch (RejectedExecutionException stopping) {
            kept.complete(false);
        }
    }
}
