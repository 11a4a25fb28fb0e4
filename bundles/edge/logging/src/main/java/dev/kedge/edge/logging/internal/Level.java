package dev.kedge.edge.logging.internal;

import java.util.Locale;

import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.spi.PaxLevel;
import org.osgi.service.log.LogLevel;

/** Log levels in pax-logging's order ({@link PaxLogger#LEVEL_TRACE} … {@link PaxLogger#LEVEL_NONE}), as Log4j names them. */
enum Level implements PaxLevel {
    TRACE(LogLevel.TRACE, 7), DEBUG(LogLevel.DEBUG, 7), INFO(LogLevel.INFO, 6), WARN(LogLevel.WARN, 4),
    ERROR(LogLevel.ERROR, 3), FATAL(LogLevel.ERROR, 0), AUDIT(LogLevel.AUDIT, 0), OFF(LogLevel.ERROR, 0);

    private final LogLevel osgi;
    private final int syslog;

    Level(LogLevel osgi, int syslog) {
        this.osgi = osgi;
        this.syslog = syslog;
    }

    /** {@code INFO}, {@code warn}, {@code WARNING}, {@code ALL}…; null for a name no level has. */
    static Level parse(String name) {
        if (name == null) {
            return null;
        }
        return switch (name.strip().toUpperCase(Locale.ROOT)) {
            case "ALL", "TRACE", "FINEST", "FINER" -> TRACE;
            case "DEBUG", "FINE" -> DEBUG;
            case "INFO", "CONFIG" -> INFO;
            case "WARN", "WARNING" -> WARN;
            case "ERROR", "SEVERE" -> ERROR;
            case "FATAL" -> FATAL;
            case "OFF", "NONE" -> OFF;
            default -> null;
        };
    }

    /** Whether an event at this level passes a logger (or appender) set to {@code threshold}. */
    boolean passes(Level threshold) {
        return threshold != OFF && compareTo(threshold) >= 0;
    }

    @Override
    public boolean isGreaterOrEqual(PaxLevel r) {
        return r instanceof Level l ? compareTo(l) >= 0 : syslog <= r.getSyslogEquivalent();
    }

    @Override
    public LogLevel toLevel() {
        return osgi;
    }

    @Override
    public int getSyslogEquivalent() {
        return syslog;
    }
}
