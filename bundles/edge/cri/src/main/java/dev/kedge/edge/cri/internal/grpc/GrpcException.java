package dev.kedge.edge.cri.internal.grpc;

/** A unary call ended without an answer: its gRPC status code name and the runtime's (or Kedge's) reason. */
public final class GrpcException extends Exception {
    private static final long serialVersionUID = 1L;
    private static final String[] CODES = {
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    };
    private final String code;
    private final boolean fromRuntime;

    GrpcException(String code, String message, Throwable cause) {
        this(code, message, cause, false);
    }

    private GrpcException(String code, String message, Throwable cause, boolean fromRuntime) {
        super(message, cause);
        this.code = code;
        this.fromRuntime = fromRuntime;
    }

    /** A status the runtime sent (in its answer, a stream reset or an HTTP status), not one Kedge's client made. */
    static GrpcException fromRuntime(String code, String message) {
        return new GrpcException(code, message, null, true);
    }

    /** Whether the runtime sent this status; otherwise the client made it (timeout, unreachable, broken answer). */
    public boolean fromRuntime() {
        return fromRuntime;
    }

    GrpcException(String code, String message) {
        this(code, message, null);
    }

    /** The status code's name, e.g. {@code NOT_FOUND}; an unknown number is {@code UNKNOWN}, as gRPC has it. */
    public String code() {
        return code;
    }

    static String codeName(int number) {
        return number >= 0 && number < CODES.length ? CODES[number] : "UNKNOWN";
    }

    /** gRPC's mapping of an HTTP status that came without a grpc-status. */
    static String fromHttpStatus(int status) {
        switch (status) {
            case 400: return "INTERNAL";
            case 401: return "UNAUTHENTICATED";
            case 403: return "PERMISSION_DENIED";
            case 404: return "UNIMPLEMENTED";
            case 429: case 502: case 503: case 504: return "UNAVAILABLE";
            default: return "UNKNOWN";
        }
    }
}
