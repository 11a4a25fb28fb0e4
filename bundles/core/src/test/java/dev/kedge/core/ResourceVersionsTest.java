package dev.kedge.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Numeric, not lexical: "10" is newer than "9"; the two orders differ only for empty and unparsable versions. */
class ResourceVersionsTest {

    @Test
    void comparesNumerically() {
        assertTrue(ResourceVersions.newer("10", "9"));
        assertFalse(ResourceVersions.newer("9", "10"));
        assertEquals(0, ResourceVersions.compare("42", "42"));
        assertTrue(ResourceVersions.newer("18446744073709551616", "18446744073709551615"), "beyond a long");
    }

    @Test
    void emptyIsOlderThanAnyVersion() {
        assertTrue(ResourceVersions.newer("1", ""));
        assertFalse(ResourceVersions.newer("", "1"));
        assertFalse(ResourceVersions.newer("", ""));
    }

    @Test
    void garbageNeverWins() {
        assertFalse(ResourceVersions.newer("abc", "1"));
        assertTrue(ResourceVersions.newer("1", "abc"));
        assertFalse(ResourceVersions.valid("12a"));
        assertFalse(ResourceVersions.valid(""));
        assertTrue(ResourceVersions.valid("0012"));
    }

    @Test
    void newerOrDifferentComparesNumbersNotText() {
        assertTrue(ResourceVersions.newerOrDifferent("10", "9"));
        assertFalse(ResourceVersions.newerOrDifferent("9", "10"));
        assertFalse(ResourceVersions.newerOrDifferent("10", "10"));
    }

    @Test
    void newerOrDifferentAnythingIsNewerThanNothing() {
        assertTrue(ResourceVersions.newerOrDifferent("1", ""));
        assertTrue(ResourceVersions.newerOrDifferent("1", null));
        assertTrue(ResourceVersions.newerOrDifferent("", ""));
        assertFalse(ResourceVersions.newerOrDifferent("", "5"));
        assertFalse(ResourceVersions.newerOrDifferent(null, "5"));
    }

    @Test
    void newerOrDifferentLetsOpaqueVersionsThroughWhenDifferent() {
        assertTrue(ResourceVersions.newerOrDifferent("abc", "abd"));
        assertFalse(ResourceVersions.newerOrDifferent("abc", "abc"));
        assertTrue(ResourceVersions.newerOrDifferent("12", "x7"));
        assertTrue(ResourceVersions.newerOrDifferent("18446744073709551615", "18446744073709551616"),
                "beyond a long: only different");
    }
}
