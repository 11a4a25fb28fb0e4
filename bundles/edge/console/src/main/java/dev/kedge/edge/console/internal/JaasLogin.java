package dev.kedge.edge.console.internal;

import java.security.Principal;
import java.security.PublicKey;
import java.util.concurrent.atomic.LongAdder;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Password and public-key logins checked by a JAAS realm (Karaf's {@code karaf} realm: etc/users.properties and
 * etc/keys.properties), as Karaf's own console does. The user must hold {@code role} (Karaf's {@code ssh}); the
 * logged-in Subject is kept on the SSH session, and commands run as it, so Karaf's command ACLs apply.
 */
final class JaasLogin implements PasswordAuthenticator, PublickeyAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(JaasLogin.class);

    static final AttributeKey<Subject> SUBJECT = new AttributeKey<>();

    final LongAdder refused = new LongAdder();
    private final String realm;
    private final String role;
    private final UsersFile users;

    JaasLogin(String realm, String role, UsersFile users) {
        this.realm = realm;
        this.role = role;
        this.users = users;
    }

    @Override
    public boolean authenticate(String user, String password, ServerSession session) {
        return login(user, session, callback -> {
            if (callback instanceof PasswordCallback p) {
                p.setPassword(password.toCharArray());
                return true;
            }
            return false;
        });
    }

    @Override
    public boolean authenticate(String user, PublicKey key, ServerSession session) {
        return login(user, session, callback -> {
            if (callback instanceof PublickeyCallback p) {
                p.setPublicKey(key);
                return true;
            }
            return false;
        });
    }

    private interface Credential {
        boolean fill(Callback callback);
    }

    private boolean login(String user, ServerSession session, Credential credential) {
        users.hashClearText(); // an entry written in clear text since the last login is checked as a digest
        Subject subject = new Subject();
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback c : callbacks) {
                    if (c instanceof NameCallback n) {
                        n.setName(user);
                    } else if (!credential.fill(c)) {
                        throw new UnsupportedCallbackException(c);
                    }
                }
            });
            context.login();
        } catch (LoginException | RuntimeException e) {
            return refuse(user, session, e.getMessage());
        }
        boolean roleHeld = role.isEmpty();
        boolean anyRole = false;
        for (Principal p : subject.getPrincipals()) {
            if (p instanceof RolePrincipal) {
                anyRole = true;
                roleHeld |= role.equals(p.getName());
            }
        }
        if (!anyRole || !roleHeld) {
            return refuse(user, session, "without the role '" + role + "'");
        }
        session.setAttribute(SUBJECT, subject);
        return true;
    }

    private boolean refuse(String user, ServerSession session, String why) {
        refused.increment();
        LOG.debug("console login of '{}' from {} refused: {}", user, session.getClientAddress(), why);
        return false;
    }
}
