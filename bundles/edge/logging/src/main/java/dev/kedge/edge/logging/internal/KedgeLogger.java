package dev.kedge.edge.logging.internal;

import org.ops4j.pax.logging.PaxContext;
import org.osgi.framework.Bundle;
import org.osgi.service.log.LogLevel;

/**
 * A logger of one name (and bundle, for the bundle.* properties), as pax-logging's facades (SLF4J, JUL, Commons
 * Logging, Log4j's API) and the OSGi Log Service hand calls to it. Placeholders are SLF4J's {@code {}}, or printf's
 * for a {@code FormatterLogger}. Its level is looked up again only after a configuration change.
 */
final class KedgeLogger extends PaxLoggerMethods {
    private final LogBackend backend;
    private final Bundle bundle;
    private final String name;
    private final String fqcn;
    private final boolean printf;
    private volatile LevelCache cache;

    private record LevelCache(LogConfig config, Level level) {
    }

    KedgeLogger(LogBackend backend, Bundle bundle, String name, String fqcn, boolean printf) {
        this.backend = backend;
        this.bundle = bundle;
        this.name = name == null ? "" : name;
        this.fqcn = fqcn;
        this.printf = printf;
    }

    Level level() {
        LogConfig now = backend.config();
        LevelCache c = cache;
        if (c == null || c.config() != now) {
            c = new LevelCache(now, now.levelOf(name));
            cache = c;
        }
        return c.level();
    }

    @Override
    boolean enabled(Level l) {
        return l.passes(level());
    }

    @Override
    void log(Level l, String format, Object... args) {
        if (!enabled(l)) {
            return;
        }
        Throwable t = args.length > 0 && args[args.length - 1] instanceof Throwable th ? th : null;
        String message = printf ? Messages.printf(format, args) : Messages.slf4j(format, args, t != null);
        backend.log(bundle, name, fqcn, l, message, t);
    }

    @Override
    void fq(Level l, String callerFqcn, String message, Throwable t) {
        if (enabled(l)) {
            backend.log(bundle, name, callerFqcn, l, message, t);
        }
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public int getPaxLogLevel() {
        return level().ordinal();
    }

    @Override
    public LogLevel getLogLevel() {
        return level().toLevel();
    }

    @Override
    public PaxContext getPaxContext() {
        return backend.getPaxContext();
    }
}
