package dev.kedge.edge.logging.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.ops4j.pax.logging.spi.PaxLevel;
import org.ops4j.pax.logging.spi.PaxLocationInfo;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;

/**
 * One log event, as the file layout and Karaf's OSGi appenders (log:display, log:tail) read it. Its properties are
 * the MDC plus {@code bundle.id}, {@code bundle.name} and {@code bundle.version} of the logging bundle. No location:
 * finding the caller costs a stack walk per event, and Karaf's patterns do not print it.
 */
final class Event implements PaxLoggingEvent {
    private static final PaxLocationInfo NO_LOCATION = new PaxLocationInfo() {
        @Override
        public String getFileName() {
            return "?";
        }

        @Override
        public String getClassName() {
            return "?";
        }

        @Override
        public String getLineNumber() {
            return "?";
        }

        @Override
        public String getMethodName() {
            return "?";
        }
    };

    private final Level level;
    private final String logger;
    private final String fqcn;
    private final String message;
    private final Throwable thrown;
    private final String thread;
    private final long time;
    private final Map<String, Object> properties;
    private String[] stack; // made on first use

    Event(Level level, String logger, String fqcn, String message, Throwable thrown, Map<String, Object> properties) {
        this(level, logger, fqcn, message, thrown, properties, Thread.currentThread().getName(),
                System.currentTimeMillis());
    }

    Event(Level level, String logger, String fqcn, String message, Throwable thrown, Map<String, Object> properties,
            String thread, long time) {
        this.level = level;
        this.logger = logger;
        this.fqcn = fqcn;
        this.message = message == null ? "null" : message;
        this.thrown = thrown;
        this.thread = thread;
        this.time = time;
        this.properties = properties;
    }

    Level level() {
        return level;
    }

    Throwable thrown() {
        return thrown;
    }

    @Override
    public PaxLocationInfo getLocationInformation() {
        return NO_LOCATION;
    }

    @Override
    public PaxLevel getLevel() {
        return level;
    }

    @Override
    public String getLoggerName() {
        return logger;
    }

    @Override
    public String getFQNOfLoggerClass() {
        return fqcn;
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public String getRenderedMessage() {
        return message;
    }

    @Override
    public String getThreadName() {
        return thread;
    }

    @Override
    public synchronized String[] getThrowableStrRep() {
        if (thrown == null) {
            return new String[0];
        }
        if (stack == null) {
            StringWriter w = new StringWriter();
            thrown.printStackTrace(new PrintWriter(w));
            stack = w.toString().split("\\R");
        }
        return stack.clone();
    }

    @Override
    public boolean locationInformationExists() {
        return false;
    }

    @Override
    public long getTimeStamp() {
        return time;
    }

    @Override
    public Map<String, Object> getProperties() {
        return properties;
    }
}
