package dev.kedge.core.tls;

import java.security.GeneralSecurityException;

/**
 * Certificate material that is malformed, refused by policy, or could not be produced; the message says which
 * and why, so it can go straight into a log line or an HTTP error body.
 */
public class TlsException extends GeneralSecurityException {
    private static final long serialVersionUID = 1L;

    public TlsException(String message) {
        super(message);
    }

    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
