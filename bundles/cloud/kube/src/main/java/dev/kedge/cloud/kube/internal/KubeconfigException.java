package dev.kedge.cloud.kube.internal;

/** The client cannot be configured; the message says what was tried and what to change. */
public final class KubeconfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KubeconfigException(String message) {
        super(message);
    }

    public KubeconfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
