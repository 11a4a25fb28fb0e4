package dev.kedge.cloud.controller.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResourceVersionsTest {

    @Test
    void comparesNumericallyNotAsText() {
        assertTrue(ResourceVersions.newer("10", "9"));
        assertFalse(ResourceVersions.newer("9", "10"));
        assertFalse(ResourceVersions.newer("10", "10"));
    }

    @Test
    void anythingIsNewerThanNothing() {
        assertTrue(ResourceVersions.newer("1", ""));
        assertTrue(ResourceVersions.newer("1", null));
        assertFalse(ResourceVersions.newer("", "5"));
    }

    @Test
    void opaqueVersionsAreNewerWhenDifferent() {
        assertTrue(ResourceVersions.newer("abc", "abd"));
        assertFalse(ResourceVersions.newer("abc", "abc"));
        assertTrue(ResourceVersions.newer("12", "x7"));
    }
}
