package dev.kedge.core;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread factory of Kedge: daemon threads named {@code kedge-<name>-<n>}, whose uncaught exceptions are
 * logged rather than lost. Prefer {@link SharedScheduler} for timers; use this only for a thread that must block
 * (a socket reader, a single writer).
 */
public final class DaemonThreads {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonThreads.class);

    private DaemonThreads() {
    }

    /** A factory for threads named {@code kedge-<name>-1}, {@code kedge-<name>-2}, … */
    public static ThreadFactory factory(String name) {
        AtomicInteger seq = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "kedge-" + name + "-" + seq.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("uncaught in {}", th.getName(), e));
            return t;
        };
    }
}
