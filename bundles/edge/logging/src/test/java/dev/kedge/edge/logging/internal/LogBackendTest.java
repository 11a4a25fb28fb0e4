package dev.kedge.edge.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ops4j.pax.logging.PaxLogger;
import org.ops4j.pax.logging.spi.PaxLoggingEvent;
import org.osgi.service.log.FormatterLogger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.Logger;

class LogBackendTest {
    @TempDir
    Path dir;
    LogBackend backend;

    LogBackend backend(Map<String, Object> extra) {
        Hashtable<String, Object> cfg = new Hashtable<>(extra);
        cfg.put("log4j2.appender.rolling.fileName", dir.resolve("karaf.log").toString());
        cfg.put("log4j2.pattern", "%-5p %c{1} %X{user}| %m%n");
        backend = new LogBackend(LogConfig.defaults());
        backend.updated(cfg);
        return backend;
    }

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    List<String> lines() throws Exception {
        return Files.readAllLines(dir.resolve("karaf.log"));
    }

    @Test
    void writesWhatItsLevelLetsThroughToTheFileAndTheAppenders() throws Exception {
        LogBackend b = backend(Map.of("log4j2.rootLogger.level", "INFO"));
        List<PaxLoggingEvent> seen = new ArrayList<>();
        b.addAppender(seen::add);
        PaxLogger log = b.getLogger(null, "dev.kedge.edge.hub.CloudLink", "fqcn");

        log.debug("not written");
        log.info("connected to {} in {} ms", "wss://cloud", 412);
        log.warn("reconnecting", new IllegalStateException("closed"));
        b.getPaxContext().put("user", "kedge");
        log.error("with {} and a trace", "context", new RuntimeException("x"));
        b.getPaxContext().remove("user");

        List<String> lines = lines();
        assertEquals("INFO  CloudLink | connected to wss://cloud in 412 ms", lines.get(0));
        assertEquals("WARN  CloudLink | reconnecting", lines.get(1));
        assertEquals("java.lang.IllegalStateException: closed", lines.get(2));
        assertTrue(lines.contains("ERROR CloudLink kedge| with context and a trace"), lines.toString());
        assertFalse(lines.toString().contains("not written"));
        assertEquals(3, seen.size(), "Karaf's log:display gets the same events");
        assertEquals("connected to wss://cloud in 412 ms", seen.get(0).getRenderedMessage());
        assertEquals(Level.WARN, seen.get(1).getLevel());
        assertEquals("java.lang.IllegalStateException: closed", seen.get(1).getThrowableStrRep()[0]);
    }

    @Test
    void levelsFollowTheConfigurationAsLogSetChangesIt() throws Exception {
        LogBackend b = backend(Map.of("log4j2.rootLogger.level", "INFO"));
        PaxLogger log = b.getLogger(null, "dev.kedge.edge.hub.CloudLink", (String) null);
        assertFalse(log.isDebugEnabled());

        b.updated(new Hashtable<>(Map.of("log4j2.rootLogger.level", "INFO",
                "log4j2.appender.rolling.fileName", dir.resolve("karaf.log").toString(),
                "log4j2.logger.dev_kedge_edge_hub.name", "dev.kedge.edge.hub",
                "log4j2.logger.dev_kedge_edge_hub.level", "DEBUG")));
        assertTrue(log.isDebugEnabled(), "the same logger object sees the new level");
        assertEquals(PaxLogger.LEVEL_DEBUG, log.getPaxLogLevel());
        log.debug("now written");
        assertTrue(lines().get(0).endsWith("now written"), lines().toString());
    }

    @Test
    void theOsgiLogServiceAndFormatterLoggers() throws Exception {
        LogBackend b = backend(Map.of("log4j2.rootLogger.level", "DEBUG"));
        b.log(LogService.LOG_WARNING, "from the log service");
        b.getLogger("printf", FormatterLogger.class).info("%d items in %s", 3, "queue");
        Logger slf = b.getLogger("braces", Logger.class);
        slf.info("{} items, literal \\{}", 3);

        List<String> lines = lines();
        assertEquals("WARN  LogService | from the log service", lines.get(0));
        assertEquals("INFO  printf | 3 items in queue", lines.get(1));
        assertEquals("INFO  braces | 3 items, literal {}", lines.get(2));
    }

    @Test
    void anAppenderThatLogsDoesNotRecurseAndOneThatThrowsIsCounted() throws Exception {
        LogBackend b = backend(Map.of());
        PaxLogger log = b.getLogger(null, "x", (String) null);
        b.addAppender(e -> log.info("logged while appending"));
        b.addAppender(e -> {
            throw new IllegalStateException("broken appender");
        });
        log.info("once");
        assertEquals(List.of("INFO  x | once"), lines());
        assertEquals(1, b.appenderFailures.sum());
    }

    @Test
    void aNewFileTakesOverAndAClosedOneIsNeverReopened() throws Exception {
        LogBackend b = backend(Map.of());
        PaxLogger log = b.getLogger(null, "x", (String) null);
        log.info("first");
        Path moved = dir.resolve("moved/karaf.log");
        b.updated(new Hashtable<>(Map.of("log4j2.appender.rolling.fileName", moved.toString(),
                "log4j2.pattern", "%m%n")));
        log.info("second");
        assertEquals(List.of("INFO  x | first"), lines(), "the old file got nothing more");
        assertEquals(List.of("second"), Files.readAllLines(moved));

        b.close();
        Files.delete(moved);
        log.info("after the bundle stopped");
        assertFalse(Files.exists(moved), "not reopened");
    }

    @Test
    void rollsOverBySizeKeepingTheConfiguredBackups() throws Exception {
        LogBackend b = backend(Map.of("log4j2.appender.rolling.policies.size.size", "64KB",
                "log4j2.appender.rolling.strategy.max", "2"));
        PaxLogger log = b.getLogger(null, "x", (String) null);
        String kb = "y".repeat(1000);
        for (int i = 0; i < 260; i++) { // about 4 files' worth
            log.info("{} {}", i, kb);
        }
        assertTrue(Files.size(dir.resolve("karaf.log")) <= 64 * 1024);
        assertTrue(Files.exists(dir.resolve("karaf.log.1")));
        assertTrue(Files.exists(dir.resolve("karaf.log.2")));
        assertFalse(Files.exists(dir.resolve("karaf.log.3")), "only strategy.max backups");
        assertTrue(lines().get(lines().size() - 1).startsWith("INFO  x | 259 "), "the newest in the file");
        assertEquals(0, b.fileFailures());
    }
}
