package dev.kedge.edge.cri;

/**
 * A CRI call failed. {@link #code()} is the gRPC status code name ({@code UNAVAILABLE} when the runtime is down,
 * {@code DEADLINE_EXCEEDED}, {@code NOT_FOUND}, {@code UNKNOWN} …); the message is the runtime's.
 */
public class RuntimeCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String call;
    private final String code;

    public RuntimeCallException(String call, String code, String message, Throwable cause) {
        super(call + ": " + code + (message == null || message.isEmpty() ? "" : ": " + message), cause);
        this.call = call;
        this.code = code;
    }

    /** The CRI method, e.g. {@code PullImage}. */
    public String call() {
        return call;
    }

    public String code() {
        return code;
    }

    /** The runtime could not be reached (socket missing, connection refused, runtime restarting). */
    public boolean unavailable() {
        return "UNAVAILABLE".equals(code);
    }

    public boolean notFound() {
        return "NOT_FOUND".equals(code);
    }
}
