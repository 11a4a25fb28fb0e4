package dev.kedge.edge.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

class LogConfigTest {

    @Test
    void readsKarafsLog4jFile() {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("log4j2.pattern", "%d{ISO8601} | %-5p | %m%n");
        cfg.put("log4j2.rootLogger.level", "INFO");
        cfg.put("log4j2.rootLogger.appenderRef.Console.filter.threshold.level", "${karaf.log.console:-OFF}");
        cfg.put("log4j2.logger.sshd.name", "org.apache.sshd");
        cfg.put("log4j2.logger.sshd.level", "WARN");
        cfg.put("log4j2.logger.dev_kedge_edge_hub.name", "dev.kedge.edge.hub"); // as log:set writes it
        cfg.put("log4j2.logger.dev_kedge_edge_hub.level", "DEBUG");
        cfg.put("log4j2.logger.gone.name", "left.by.log.set.DEFAULT"); // log:set DEFAULT keeps the name only
        cfg.put("log4j2.appender.rolling.fileName", "/var/log/kedge/karaf.log");
        cfg.put("log4j2.appender.rolling.layout.pattern", "${log4j2.pattern}");
        cfg.put("log4j2.appender.rolling.policies.size.size", "8MB");
        cfg.put("log4j2.appender.rolling.strategy.max", "3");
        LogConfig c = LogConfig.of(cfg);

        assertEquals(Level.INFO, c.root());
        assertEquals(Map.of("org.apache.sshd", Level.WARN, "dev.kedge.edge.hub", Level.DEBUG), c.loggers());
        assertEquals(Path.of("/var/log/kedge/karaf.log"), c.file());
        assertEquals(8L * 1024 * 1024, c.maxBytes());
        assertEquals(3, c.maxBackups());
        assertEquals("%d{ISO8601} | %-5p | %m%n", c.pattern(), "${key} of the file itself");
        assertEquals(Level.OFF, c.console(), "${karaf.log.console:-OFF} without the property");
    }

    @Test
    void aLoggerTakesTheLevelOfItsNearestConfiguredParent() {
        LogConfig c = LogConfig.of(Map.of("log4j2.rootLogger.level", "WARN",
                "log4j2.logger.a.name", "dev.kedge", "log4j2.logger.a.level", "DEBUG",
                "log4j2.logger.b.name", "dev.kedge.edge.hub", "log4j2.logger.b.level", "ERROR"));
        assertEquals(Level.DEBUG, c.levelOf("dev.kedge.core.MessageBusImpl"));
        assertEquals(Level.ERROR, c.levelOf("dev.kedge.edge.hub.internal.CloudLink"));
        assertEquals(Level.DEBUG, c.levelOf("dev.kedge.edge.hubble"), "at a dot only");
        assertEquals(Level.WARN, c.levelOf("org.apache.felix"));
        assertEquals(Level.WARN, c.levelOf(""));
    }

    @Test
    void defaultsAndBadValues() {
        String was = System.getProperty("karaf.log");
        System.setProperty("karaf.log", "/tmp/kedge-log-test");
        try {
            LogConfig d = LogConfig.defaults();
            assertEquals(Level.INFO, d.root());
            assertEquals(Path.of("/tmp/kedge-log-test/karaf.log"), d.file());
            assertEquals(16L * 1024 * 1024, d.maxBytes());
            assertEquals(LogConfig.DEFAULT_PATTERN, d.pattern());
        } finally {
            if (was == null) {
                System.clearProperty("karaf.log");
            } else {
                System.setProperty("karaf.log", was);
            }
        }
        LogConfig bad = LogConfig.of(Map.of("log4j2.rootLogger.level", "LOUD",
                "log4j2.appender.rolling.policies.size.size", "big"));
        assertEquals(Level.INFO, bad.root(), "an unknown level: Log4j's default");
        assertEquals(16L * 1024 * 1024, bad.maxBytes());
        assertEquals(64 * 1024, LogConfig.bytes("1KB"), "at least 64 KiB before a roll-over");
    }
}
