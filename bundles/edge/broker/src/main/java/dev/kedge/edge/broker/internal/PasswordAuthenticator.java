package dev.kedge.edge.broker.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** One configured username/password; compared in constant time. */
final class PasswordAuthenticator {
    private final byte[] username;
    private final byte[] password;

    PasswordAuthenticator(String username, String password) {
        this.username = username.getBytes(StandardCharsets.UTF_8);
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    boolean valid(String user, byte[] pass) {
        if (user == null || pass == null) {
            return false;
        }
        boolean userOk = MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
        boolean passOk = MessageDigest.isEqual(password, pass);
        return userOk & passOk;
    }
}
