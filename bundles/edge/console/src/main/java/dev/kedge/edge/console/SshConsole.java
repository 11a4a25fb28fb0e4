package dev.kedge.edge.console;

import org.osgi.annotation.versioning.ProviderType;

/** The running SSH console. */
@ProviderType
public interface SshConsole {

    /** Its state and counters since it started; cheap. */
    ConsoleStatus status();
}
