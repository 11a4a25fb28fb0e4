package dev.kedge.cloud.controller.internal;

/** The node asked for something that is not its own: answered as the API server's 403 Forbidden. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refusal(String message) {
        super(message);
    }
}
