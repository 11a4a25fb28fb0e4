package dev.kedge.edge.hub.internal;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;

import javax.net.ssl.SSLException;

/**
 * A connection or bootstrap step that failed, with a message an operator can act on: the JDK's exceptions name
 * the symptom, {@link #explain} adds the usual cause (KubeEdge users' top complaints are exactly these: wrong SAN,
 * wrong CA, port not reachable).
 */
final class LinkFailure extends Exception {
    private static final long serialVersionUID = 1L;

    LinkFailure(String message) {
        super(message);
    }

    LinkFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line: what failed and, where it is recognisable, why. */
    static String explain(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String msg = c.getMessage() == null ? "" : c.getMessage();
            String lower = msg.toLowerCase(Locale.ROOT);
            if (c instanceof WebSocketClient.HandshakeRefused r) {
                return "CloudHub refused the WebSocket upgrade with HTTP " + r.status;
            }
            if (c instanceof SSLException) {
                return "TLS: " + msg + tlsHint(lower);
            }
            if (c instanceof ConnectException) {
                return "cannot connect (" + (msg.isEmpty() ? "connection refused" : msg)
                        + "): is CloudHub running and the port reachable from this node?";
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return "unknown host " + msg;
            }
            if (c instanceof HttpTimeoutException || c instanceof SocketTimeoutException) {
                return "timed out: " + msg;
            }
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String tlsHint(String lower) {
        if (lower.contains("subject alternative") || lower.contains("no name matching")) {
            return " (CloudHub's certificate is not issued for this address: use an address it names, or add this"
                    + " one to CloudHub's advertise addresses / DNS names)";
        }
        if (lower.contains("pkix") || lower.contains("certification path")) {
            return " (CloudHub's certificate is not signed by the pinned CA rootCA.crt: another cloud, or a man"
                    + " in the middle; re-join with this cloud's token)";
        }
        if (lower.contains("bad_certificate") || lower.contains("certificate_required")
                || lower.contains("certificate_unknown")) {
            return " (CloudHub refused this node's certificate: re-join with a fresh token)";
        }
        return "";
    }
}
