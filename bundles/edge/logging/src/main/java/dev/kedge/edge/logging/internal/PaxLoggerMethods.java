package dev.kedge.edge.logging.internal;

import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.PaxMarker;
import org.osgi.service.log.LoggerConsumer;

/**
 * The hundred-odd methods of {@link PaxLogger} (and the OSGi Logger it extends), each handed to one of three:
 * {@link #enabled}, {@link #log} (a message and its arguments) or {@link #fq} (a caller's class, a message and a
 * Throwable, from the JUL and Commons Logging facades). Markers are accepted and not used.
 */
abstract class PaxLoggerMethods implements PaxLogger {
    static final Object[] NO_ARGS = {};

    abstract boolean enabled(Level l);

    abstract void log(Level l, String format, Object... args);

    abstract void fq(Level l, String callerFqcn, String message, Throwable t);

    @Override
    public boolean isFatalEnabled() {
        return enabled(Level.FATAL);
    }

    @Override
    public boolean isFatalEnabled(PaxMarker marker) {
        return enabled(Level.FATAL);
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isTraceEnabled(PaxMarker marker) {
        return enabled(Level.TRACE);
    }

    @Override
    public void trace(String message) {
        log(Level.TRACE, message, NO_ARGS);
    }

    @Override
    public void trace(String format, Object arg) {
        log(Level.TRACE, format, arg);
    }

    @Override
    public void trace(String format, Object arg1, Object arg2) {
        log(Level.TRACE, format, arg1, arg2);
    }

    @Override
    public void trace(String format, Object... args) {
        log(Level.TRACE, format, args);
    }

    @Override
    public <E extends Exception> void trace(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.TRACE)) {
            consumer.accept(this);
        }
    }

    @Override
    public void trace(PaxMarker marker, String message) {
        log(Level.TRACE, message, NO_ARGS);
    }

    @Override
    public void trace(PaxMarker marker, String format, Object arg) {
        log(Level.TRACE, format, arg);
    }

    @Override
    public void trace(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.TRACE, format, arg1, arg2);
    }

    @Override
    public void trace(PaxMarker marker, String format, Object... args) {
        log(Level.TRACE, format, args);
    }

    @Override
    public <E extends Exception> void trace(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        trace(consumer);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isDebugEnabled(PaxMarker marker) {
        return enabled(Level.DEBUG);
    }

    @Override
    public void debug(String message) {
        log(Level.DEBUG, message, NO_ARGS);
    }

    @Override
    public void debug(String format, Object arg) {
        log(Level.DEBUG, format, arg);
    }

    @Override
    public void debug(String format, Object arg1, Object arg2) {
        log(Level.DEBUG, format, arg1, arg2);
    }

    @Override
    public void debug(String format, Object... args) {
        log(Level.DEBUG, format, args);
    }

    @Override
    public <E extends Exception> void debug(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.DEBUG)) {
            consumer.accept(this);
        }
    }

    @Override
    public void debug(PaxMarker marker, String message) {
        log(Level.DEBUG, message, NO_ARGS);
    }

    @Override
    public void debug(PaxMarker marker, String format, Object arg) {
        log(Level.DEBUG, format, arg);
    }

    @Override
    public void debug(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.DEBUG, format, arg1, arg2);
    }

    @Override
    public void debug(PaxMarker marker, String format, Object... args) {
        log(Level.DEBUG, format, args);
    }

    @Override
    public <E extends Exception> void debug(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        debug(consumer);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isInfoEnabled(PaxMarker marker) {
        return enabled(Level.INFO);
    }

    @Override
    public void info(String message) {
        log(Level.INFO, message, NO_ARGS);
    }

    @Override
    public void info(String format, Object arg) {
        log(Level.INFO, format, arg);
    }

    @Override
    public void info(String format, Object arg1, Object arg2) {
        log(Level.INFO, format, arg1, arg2);
    }

    @Override
    public void info(String format, Object... args) {
        log(Level.INFO, format, args);
    }

    @Override
    public <E extends Exception> void info(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.INFO)) {
            consumer.accept(this);
        }
    }

    @Override
    public void info(PaxMarker marker, String message) {
        log(Level.INFO, message, NO_ARGS);
    }

    @Override
    public void info(PaxMarker marker, String format, Object arg) {
        log(Level.INFO, format, arg);
    }

    @Override
    public void info(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.INFO, format, arg1, arg2);
    }

    @Override
    public void info(PaxMarker marker, String format, Object... args) {
        log(Level.INFO, format, args);
    }

    @Override
    public <E extends Exception> void info(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        info(consumer);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isWarnEnabled(PaxMarker marker) {
        return enabled(Level.WARN);
    }

    @Override
    public void warn(String message) {
        log(Level.WARN, message, NO_ARGS);
    }

    @Override
    public void warn(String format, Object arg) {
        log(Level.WARN, format, arg);
    }

    @Override
    public void warn(String format, Object arg1, Object arg2) {
        log(Level.WARN, format, arg1, arg2);
    }

    @Override
    public void warn(String format, Object... args) {
        log(Level.WARN, format, args);
    }

    @Override
    public <E extends Exception> void warn(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.WARN)) {
            consumer.accept(this);
        }
    }

    @Override
    public void warn(PaxMarker marker, String message) {
        log(Level.WARN, message, NO_ARGS);
    }

    @Override
    public void warn(PaxMarker marker, String format, Object arg) {
        log(Level.WARN, format, arg);
    }

    @Override
    public void warn(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.WARN, format, arg1, arg2);
    }

    @Override
    public void warn(PaxMarker marker, String format, Object... args) {
        log(Level.WARN, format, args);
    }

    @Override
    public <E extends Exception> void warn(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        warn(consumer);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    public boolean isErrorEnabled(PaxMarker marker) {
        return enabled(Level.ERROR);
    }

    @Override
    public void error(String message) {
        log(Level.ERROR, message, NO_ARGS);
    }

    @Override
    public void error(String format, Object arg) {
        log(Level.ERROR, format, arg);
    }

    @Override
    public void error(String format, Object arg1, Object arg2) {
        log(Level.ERROR, format, arg1, arg2);
    }

    @Override
    public void error(String format, Object... args) {
        log(Level.ERROR, format, args);
    }

    @Override
    public <E extends Exception> void error(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.ERROR)) {
            consumer.accept(this);
        }
    }

    @Override
    public void error(PaxMarker marker, String message) {
        log(Level.ERROR, message, NO_ARGS);
    }

    @Override
    public void error(PaxMarker marker, String format, Object arg) {
        log(Level.ERROR, format, arg);
    }

    @Override
    public void error(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.ERROR, format, arg1, arg2);
    }

    @Override
    public void error(PaxMarker marker, String format, Object... args) {
        log(Level.ERROR, format, args);
    }

    @Override
    public <E extends Exception> void error(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        error(consumer);
    }

    @Override
    public void audit(String message) {
        log(Level.AUDIT, message, NO_ARGS);
    }

    @Override
    public void audit(String format, Object arg) {
        log(Level.AUDIT, format, arg);
    }

    @Override
    public void audit(String format, Object arg1, Object arg2) {
        log(Level.AUDIT, format, arg1, arg2);
    }

    @Override
    public void audit(String format, Object... args) {
        log(Level.AUDIT, format, args);
    }

    @Override
    public <E extends Exception> void audit(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.AUDIT)) {
            consumer.accept(this);
        }
    }

    @Override
    public void audit(PaxMarker marker, String message) {
        log(Level.AUDIT, message, NO_ARGS);
    }

    @Override
    public void audit(PaxMarker marker, String format, Object arg) {
        log(Level.AUDIT, format, arg);
    }

    @Override
    public void audit(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.AUDIT, format, arg1, arg2);
    }

    @Override
    public void audit(PaxMarker marker, String format, Object... args) {
        log(Level.AUDIT, format, args);
    }

    @Override
    public <E extends Exception> void audit(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        audit(consumer);
    }

    @Override
    public void fatal(String message) {
        log(Level.FATAL, message, NO_ARGS);
    }

    @Override
    public void fatal(String format, Object arg) {
        log(Level.FATAL, format, arg);
    }

    @Override
    public void fatal(String format, Object arg1, Object arg2) {
        log(Level.FATAL, format, arg1, arg2);
    }

    @Override
    public void fatal(String format, Object... args) {
        log(Level.FATAL, format, args);
    }

    @Override
    public <E extends Exception> void fatal(LoggerConsumer<E> consumer) throws E {
        if (enabled(Level.FATAL)) {
            consumer.accept(this);
        }
    }

    @Override
    public void fatal(PaxMarker marker, String message) {
        log(Level.FATAL, message, NO_ARGS);
    }

    @Override
    public void fatal(PaxMarker marker, String format, Object arg) {
        log(Level.FATAL, format, arg);
    }

    @Override
    public void fatal(PaxMarker marker, String format, Object arg1, Object arg2) {
        log(Level.FATAL, format, arg1, arg2);
    }

    @Override
    public void fatal(PaxMarker marker, String format, Object... args) {
        log(Level.FATAL, format, args);
    }

    @Override
    public <E extends Exception> void fatal(PaxMarker marker, LoggerConsumer<E> consumer) throws E {
        fatal(consumer);
    }

    @Override
    public void fqtrace(String fqcn, String message) {
        fq(Level.TRACE, fqcn, message, null);
    }

    @Override
    public void fqtrace(String fqcn, PaxMarker marker, String message) {
        fq(Level.TRACE, fqcn, message, null);
    }

    @Override
    public void fqtrace(String fqcn, String message, Throwable t) {
        fq(Level.TRACE, fqcn, message, t);
    }

    @Override
    public void fqtrace(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.TRACE, fqcn, message, t);
    }

    @Override
    public void fqdebug(String fqcn, String message) {
        fq(Level.DEBUG, fqcn, message, null);
    }

    @Override
    public void fqdebug(String fqcn, PaxMarker marker, String message) {
        fq(Level.DEBUG, fqcn, message, null);
    }

    @Override
    public void fqdebug(String fqcn, String message, Throwable t) {
        fq(Level.DEBUG, fqcn, message, t);
    }

    @Override
    public void fqdebug(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.DEBUG, fqcn, message, t);
    }

    @Override
    public void fqinfo(String fqcn, String message) {
        fq(Level.INFO, fqcn, message, null);
    }

    @Override
    public void fqinfo(String fqcn, PaxMarker marker, String message) {
        fq(Level.INFO, fqcn, message, null);
    }

    @Override
    public void fqinfo(String fqcn, String message, Throwable t) {
        fq(Level.INFO, fqcn, message, t);
    }

    @Override
    public void fqinfo(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.INFO, fqcn, message, t);
    }

    @Override
    public void fqwarn(String fqcn, String message) {
        fq(Level.WARN, fqcn, message, null);
    }

    @Override
    public void fqwarn(String fqcn, PaxMarker marker, String message) {
        fq(Level.WARN, fqcn, message, null);
    }

    @Override
    public void fqwarn(String fqcn, String message, Throwable t) {
        fq(Level.WARN, fqcn, message, t);
    }

    @Override
    public void fqwarn(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.WARN, fqcn, message, t);
    }

    @Override
    public void fqerror(String fqcn, String message) {
        fq(Level.ERROR, fqcn, message, null);
    }

    @Override
    public void fqerror(String fqcn, PaxMarker marker, String message) {
        fq(Level.ERROR, fqcn, message, null);
    }

    @Override
    public void fqerror(String fqcn, String message, Throwable t) {
        fq(Level.ERROR, fqcn, message, t);
    }

    @Override
    public void fqerror(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.ERROR, fqcn, message, t);
    }

    @Override
    public void fqfatal(String fqcn, String message) {
        fq(Level.FATAL, fqcn, message, null);
    }

    @Override
    public void fqfatal(String fqcn, PaxMarker marker, String message) {
        fq(Level.FATAL, fqcn, message, null);
    }

    @Override
    public void fqfatal(String fqcn, String message, Throwable t) {
        fq(Level.FATAL, fqcn, message, t);
    }

    @Override
    public void fqfatal(String fqcn, PaxMarker marker, String message, Throwable t) {
        fq(Level.FATAL, fqcn, message, t);
    }
}
