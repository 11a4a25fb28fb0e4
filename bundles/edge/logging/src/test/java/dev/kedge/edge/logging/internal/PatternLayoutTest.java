package dev.kedge.edge.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PatternLayoutTest {
    /** Karaf's file pattern, as etc/org.ops4j.pax.logging.cfg has it. */
    static final String KARAF = "%d{ISO8601} | %-5p | %-16t | %-32c{1} | %X{bundle.id} - %X{bundle.name}"
            + " - %X{bundle.version} | %encode{%.-500m}{CRLF}%n";
    static final long TIME = LocalDateTime.of(2026, 12, 5, 2, 35, 50, 645_000_000)
            .atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    static final String NL = System.lineSeparator();

    static Event event(Level level, String message, Throwable t) {
        return new Event(level, "dev.kedge.core.internal.MessageBusImpl", null, message, t,
                Map.of("bundle.id", 24L, "bundle.name", "dev.kedge.core", "bundle.version", "0.1.0.SNAPSHOT"),
                "FelixStartLevel", TIME);
    }

    @Test
    void writesKarafsLineAsLog4jDid() {
        assertEquals("2026-12-05T02:35:50,645 | INFO  | FelixStartLevel  | MessageBusImpl                   | 24 -"
                + " dev.kedge.core - 0.1.0.SNAPSHOT | Kedge message bus active" + NL,
                new PatternLayout(KARAF).format(event(Level.INFO, "Kedge message bus active", null)));
    }

    @Test
    void encodesLineBreaksCutsLongMessagesAndAppendsTheStackTrace() {
        String line = new PatternLayout(KARAF).format(event(Level.ERROR, "two\r\nlines " + "x".repeat(600),
                new IllegalStateException("boom")));
        String first = line.substring(0, line.indexOf(NL));
        assertTrue(first.endsWith("| two\\r\\nlines " + "x".repeat(500 - "two\r\nlines ".length())), first);
        assertTrue(line.contains(NL + "java.lang.IllegalStateException: boom" + NL), "trace after the line: " + line);
        assertTrue(line.contains("\tat dev.kedge.edge.logging.internal.PatternLayoutTest"), line);
    }

    @Test
    void padsTruncatesAndLeavesUnknownConversionsAsTheyStand() {
        Event e = event(Level.WARN, "m", null);
        assertEquals("[ WARN][WARN ][Impl][internal.MessageBusImpl][%zz{1}][%][m]",
                new PatternLayout("[%5p][%-5level][%.4c{1}][%c{2}][%zz{1}][%%][%msg]").format(e));
        assertEquals("02:35:50.645 [FelixStartLevel] m" + NL + "java.lang.Error: e" + NL,
                new PatternLayout("%d{HH:mm:ss\\.SSS} [%t] %highlight{%m}{ERROR=red}%n%throwable{short}")
                        .format(event(Level.WARN, "m", new Error("e"))).lines()
                        .limit(2).reduce("", (a, b) -> a + b + NL));
        assertEquals("24/", new PatternLayout("%X{bundle.id}/%X{nothing}").format(e));
    }
}
