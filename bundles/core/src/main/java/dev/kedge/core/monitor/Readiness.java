package dev.kedge.core.monitor;

/**
 * The answer of a {@link ReadinessCheck}.
 *
 * @param ready  whether this part can do its work now
 * @param detail a few words for operators ("connected", "API server unreachable: ...")
 */
public record Readiness(boolean ready, String detail) {

    public static Readiness ready(String detail) {
        return new Readiness(true, detail);
    }

    public static Readiness notReady(String detail) {
        return new Readiness(false, detail);
    }
}
