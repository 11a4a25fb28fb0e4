package dev.kedge.edge.logging.internal;

import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

import org.ops4j.pax.logging.PaxContext;
import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.PaxLoggingService;
import org.ops4j.pax.logging.spi.PaxAppender;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ManagedService;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;

/**
 * The edge's pax-logging back-end: events at or above their logger's level go to Karaf's log file (etc/
 * org.ops4j.pax.logging.cfg's rolling file and pattern), to the console when {@code karaf.log.console} asks for it,
 * and to every OSGi appender (Karaf's log:display and log:tail). It replaces pax-logging-log4j2 on the edge: Log4j 2
 * is 700-odd classes and a third of a second at every start, for a log file. Writes are synchronous and flushed
 * (nothing queued to lose at a kill -9); an appender that logs while appending does not recurse.
 */
final class LogBackend implements PaxLoggingService, ManagedService {
    private static final String LOG_SERVICE = "org.osgi.service.log.LogService";

    final LongAdder appenderFailures = new LongAdder();
    private final PaxContext context = new PaxContext();
    private final List<PaxAppender> appenders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Boolean> appending = new ThreadLocal<>();
    private volatile Sink sink;

    /** What an event is written with, swapped whole by a reconfiguration. */
    private record Sink(LogConfig config, PatternLayout layout, RollingFile file) {
    }

    LogBackend(LogConfig initial) {
        apply(initial);
    }

    LogConfig config() {
        return sink.config();
    }

    long fileFailures() {
        return sink.file().failures();
    }

    private synchronized void apply(LogConfig c) {
        Sink old = sink;
        RollingFile file = old != null && old.file().sameAs(c) ? old.file()
                : new RollingFile(c.file(), c.maxBytes(), c.maxBackups());
        sink = new Sink(c, new PatternLayout(c.pattern()), file);
        if (old != null && old.file() != file) {
            old.file().close(); // an event still writing to it finds it closed and takes the new sink
        }
    }

    void addAppender(PaxAppender a) {
        appenders.add(a);
    }

    void removeAppender(PaxAppender a) {
        appenders.remove(a);
    }

    /** Closes the file for good: what is logged after the bundle stopped is dropped, not written to a reopened file. */
    void close() {
        sink.file().close();
    }

    void log(Bundle bundle, String logger, String fqcn, Level level, String message, Throwable t) {
        if (Boolean.TRUE.equals(appending.get())) {
            return; // logged by an appender while it appends
        }
        Map<String, Object> props = new HashMap<>(context.getContext() == null ? Map.of() : context.getContext());
        if (bundle != null) {
            props.put("bundle.id", bundle.getBundleId());
            props.put("bundle.name", bundle.getSymbolicName());
            props.put("bundle.version", bundle.getVersion().toString());
        }
        Event e = new Event(level, logger, fqcn, message, t, Collections.unmodifiableMap(props));
        Sink s = sink;
        String line = s.layout().format(e);
        while (!s.file().write(line)) {
            Sink now = sink;
            if (now == s) {
                break; // closed for good
            }
            s = now;
            line = s.layout().format(e);
        }
        if (level.passes(s.config().console())) {
            System.out.print(line);
        }
        appending.set(Boolean.TRUE);
        try {
            for (PaxAppender a : appenders) {
                try {
                    a.doAppend(e);
                } catch (RuntimeException failed) {
                    appenderFailures.increment();
                }
            }
        } finally {
            appending.remove();
        }
    }

    // ManagedService: etc/org.ops4j.pax.logging.cfg, also as log:set rewrites it

    @Override
    public void updated(Dictionary<String, ?> properties) {
        Map<String, Object> m = new HashMap<>();
        if (properties != null) {
            for (String k : Collections.list(properties.keys())) {
                m.put(k, properties.get(k));
            }
        }
        apply(properties == null ? LogConfig.defaults() : LogConfig.of(m));
    }

    // PaxLoggingService

    @Override
    public PaxLogger getLogger(Bundle bundle, String category, String fqcn) {
        return new KedgeLogger(this, bundle, category, fqcn, false);
    }

    @Override
    public LogLevel getLogLevel() {
        return sink.config().root().toLevel();
    }

    @Override
    public PaxContext getPaxContext() {
        return context;
    }

    // OSGi Log Service (R7): LoggerFactory, and the older log(...) methods

    @Override
    public Logger getLogger(String name) {
        return new KedgeLogger(this, null, name, null, false);
    }

    @Override
    public Logger getLogger(Class<?> clazz) {
        return getLogger(clazz.getName());
    }

    @Override
    public <L extends Logger> L getLogger(String name, Class<L> type) {
        return getLogger((Bundle) null, name, type);
    }

    @Override
    public <L extends Logger> L getLogger(Class<?> clazz, Class<L> type) {
        return getLogger((Bundle) null, clazz.getName(), type);
    }

    @Override
    public <L extends Logger> L getLogger(Bundle bundle, String name, Class<L> type) {
        return type.cast(new KedgeLogger(this, bundle, name, null, type == FormatterLogger.class));
    }

    @Override
    public void log(int level, String message) {
        log(null, level, message, null);
    }

    @Override
    public void log(int level, String message, Throwable t) {
        log(null, level, message, t);
    }

    @Override
    public void log(ServiceReference<?> sr, int level, String message) {
        log(sr, level, message, null);
    }

    @Override
    public void log(ServiceReference<?> sr, int level, String message, Throwable t) {
        Bundle b = sr == null ? null : sr.getBundle();
        Level l = switch (level) {
            case LogService.LOG_ERROR -> Level.ERROR;
            case LogService.LOG_WARNING -> Level.WARN;
            case LogService.LOG_INFO -> Level.INFO;
            default -> Level.DEBUG;
        };
        String name = b == null ? LOG_SERVICE : b.getSymbolicName();
        if (l.passes(sink.config().levelOf(name))) {
            log(b, name, null, l, message, t);
        }
    }
}
