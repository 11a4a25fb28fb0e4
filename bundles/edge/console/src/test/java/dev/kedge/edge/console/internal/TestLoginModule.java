package dev.kedge.edge.console.internal;

import java.security.Principal;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.login.FailedLoginException;
import javax.security.auth.login.LoginException;
import javax.security.auth.spi.LoginModule;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;

/** A JAAS realm of three users: operator (roles ssh, admin), viewer (viewer only), nobody (no role). */
public class TestLoginModule implements LoginModule {
    private static final Map<String, String> PASSWORDS = Map.of("operator", "op-secret", "viewer", "view-secret",
            "nobody", "x");
    private static final Map<String, String[]> ROLES = Map.of("operator", new String[] {"ssh", "admin"}, "viewer",
            new String[] {"viewer"}, "nobody", new String[0]);

    record User(String getName) implements Principal {
    }

    private Subject subject;
    private CallbackHandler handler;
    private String user;

    @Override
    public void initialize(Subject subject, CallbackHandler handler, Map<String, ?> shared, Map<String, ?> options) {
        this.subject = subject;
        this.handler = handler;
    }

    @Override
    public boolean login() throws LoginException {
        NameCallback name = new NameCallback("user");
        PasswordCallback password = new PasswordCallback("password", false);
        try {
            handler.handle(new Callback[] {name, password});
        } catch (Exception e) {
            throw new FailedLoginException(e.toString());
        }
        String expected = PASSWORDS.get(name.getName());
        if (expected == null || password.getPassword() == null
                || !expected.equals(new String(password.getPassword()))) {
            throw new FailedLoginException("wrong user or password");
        }
        user = name.getName();
        return true;
    }

    @Override
    public boolean commit() {
        subject.getPrincipals().add(new User(user));
        for (String role : ROLES.get(user)) {
            subject.getPrincipals().add(new RolePrincipal(role));
        }
        return true;
    }

    @Override
    public boolean abort() {
        return true;
    }

    @Override
    public boolean logout() {
        return true;
    }
}
