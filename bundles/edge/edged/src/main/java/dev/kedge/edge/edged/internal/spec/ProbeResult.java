package dev.kedge.edge.edged.internal.spec;

/** The outcome of one probe; {@code message} says why it failed (empty or the output when it succeeded). */
public record ProbeResult(boolean success, String message) {
}
