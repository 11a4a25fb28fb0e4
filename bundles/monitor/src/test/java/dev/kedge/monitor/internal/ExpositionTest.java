package dev.kedge.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ExpositionTest {

    @Test
    void groupsSamplesOfOneNameUnderOneHelpAndType() {
        Exposition out = new Exposition();
        out.gauge("kedge_bus_mailbox_depth", "Messages queued", 3, "module", "edged");
        out.counter("kedge_store_writes", "Writes committed", 42);
        out.gauge("kedge_bus_mailbox_depth", "Messages queued", 0, "module", "twin");
        assertEquals("""
                # HELP kedge_bus_mailbox_depth Messages queued
                # TYPE kedge_bus_mailbox_depth gauge
                kedge_bus_mailbox_depth{module="edged"} 3
                kedge_bus_mailbox_depth{module="twin"} 0
                # HELP kedge_store_writes_total Writes committed
                # TYPE kedge_store_writes_total counter
                kedge_store_writes_total 42
                """, out.text());
    }

    @Test
    void countersEndInTotalOnce() {
        Exposition out = new Exposition();
        out.counter("a_total", "h", 1);
        out.counter("b", "h", 2);
        assertTrue(out.text().contains("\na_total 1\n"));
        assertTrue(out.text().contains("\nb_total 2\n"));
    }

    @Test
    void escapesLabelValuesAndHelp() {
        Exposition out = new Exposition();
        out.gauge("g", "back\\slash\nnewline", 1, "path", "a\"b\\c\nd");
        assertEquals("""
                # HELP g back\\\\slash\\nnewline
                # TYPE g gauge
                g{path="a\\"b\\\\c\\nd"} 1
                """, out.text());
    }

    @Test
    void sanitisesNamesAndFormatsValues() {
        assertEquals("kedge_hub_frames_in", Exposition.name("kedge.hub-frames in"));
        assertEquals("_9lives", Exposition.name("9lives"));
        assertEquals("1.5", Exposition.value(1.5));
        assertEquals("12", Exposition.value(12.0));
        assertEquals("NaN", Exposition.value(Double.NaN));
        assertEquals("+Inf", Exposition.value(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", Exposition.value(Double.NEGATIVE_INFINITY));
    }

    @Test
    void aNameUsedWithTwoTypesKeepsTheFirstAndCountsTheConflict() {
        Exposition out = new Exposition();
        out.gauge("x", "h", 1);
        out.counter("x_total", "h", 1);
        out.gauge("x_total", "h", 5);
        assertEquals(1, out.conflicts());
        assertTrue(out.text().contains("x_total 1"));
    }

    @Test
    void unevenLabelPairsDropTheLoneName() {
        assertEquals("{a=\"1\"}", Exposition.labels(new String[] {"a", "1", "b"}));
        assertEquals("", Exposition.labels(new String[0]));
    }
}
