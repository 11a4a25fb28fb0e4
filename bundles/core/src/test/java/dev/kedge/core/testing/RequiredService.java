package dev.kedge.core.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * A real service or program a test needs (Mosquitto, its clients, containerd...): missing, it fails the test under
 * {@code CI=true}, where scripts/test.sh provides it, and skips it elsewhere, saying what is missing.
 */
public final class RequiredService {
    private RequiredService() {
    }

    /** Fails (CI) or skips (elsewhere) the running test because of {@code what}; returns normally if present. */
    public static void require(boolean present, String what) {
        if (present) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(what);
        }
        Assumptions.assumeTrue(false, what + "; skipped outside CI");
    }
}
