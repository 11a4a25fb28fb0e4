package dev.kedge.edge.cri;

/**
 * The runtime calls made since start and how the failed ones failed.
 *
 * @param calls          calls made
 * @param runtimeErrors  calls the runtime answered with an error status (NOT_FOUND, ...)
 * @param protocolErrors calls whose answer broke HTTP/2, gRPC or protobuf: a runtime speaking something else, or a bug
 * @param timeouts       calls without an answer within their deadline
 * @param unavailable    calls that did not reach the runtime (socket missing, connection refused or lost) or that the
 *                       client's bounds refused (too many calls at once, an answer over the size bound)
 */
public record CallStats(long calls, long runtimeErrors, long protocolErrors, long timeouts, long unavailable) {

    /** Both counts added (the runtime and the image service, when they are two sockets). */
    public CallStats plus(CallStats o) {
        return new CallStats(calls + o.calls, runtimeErrors + o.runtimeErrors, protocolErrors + o.protocolErrors,
                timeouts + o.timeouts, unavailable + o.unavailable);
    }
}
