package dev.kedge.edge.cri;

/** CRI {@code Status}: the RuntimeReady and NetworkReady conditions, with reason and message when false. */
public record RuntimeStatus(boolean runtimeReady, boolean networkReady, String reason, String message) {
}
