package dev.kedge.edge.console.internal;

import java.time.Duration;

import org.apache.karaf.shell.api.console.SessionFactory;

/** Where the console's sessions come from: Karaf's shell, which may start only when an operator connects. */
interface ShellSessions {
    /**
     * The shell's session factory; if it is not there, the shell is started and waited for, at most {@code timeout}
     * (zero: no start, no wait).
     *
     * @return null if the shell did not come in time
     */
    SessionFactory await(Duration timeout);
}
