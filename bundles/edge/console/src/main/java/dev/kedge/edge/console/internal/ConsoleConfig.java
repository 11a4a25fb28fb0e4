package dev.kedge.edge.console.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The SSH console's settings, under Karaf's own PID and keys ({@code etc/org.apache.karaf.shell.cfg}), so that what
 * operators know from Karaf's console applies unchanged. Karaf's other keys there (completion mode, logout) belong to
 * its shell and are left to it.
 */
@ObjectClassDefinition(name = "Kedge SSH console", description = "The edge's SSH console (Karaf's shell over SSH)")
@interface ConsoleConfig {
    String PID = "org.apache.karaf.shell";

    @AttributeDefinition(description = "TCP port of the console")
    int sshPort() default 8101;

    @AttributeDefinition(description = "Address the console binds to: loopback unless an operator opens it")
    String sshHost() default "127.0.0.1";

    @AttributeDefinition(description = "JAAS realm that checks logins")
    String sshRealm() default "karaf";

    @AttributeDefinition(description = "Digest of the passwords in etc/users.properties, stored as {CRYPT}hex{CRYPT}:"
            + " an entry in clear text is replaced by its digest at the edge's start or before the next login"
            + " (empty: passwords stay as written)")
    String passwordDigest() default "SHA-256";

    @AttributeDefinition(description = "Role a user needs to log in (empty: any role)")
    String sshRole() default "ssh";

    @AttributeDefinition(description = "Host key file, made on first start when missing (OpenSSH format)")
    String hostKey() default "${karaf.etc}/host.key";

    @AttributeDefinition(description = "Idle time in ms after which a session is closed")
    long sshIdleTimeout() default 1_800_000L;

    @AttributeDefinition(name = "nio-workers", description = "SSH I/O threads")
    int nio$_$workers() default 1;

    @AttributeDefinition(description = "SSHD stops this many ms after the last console connection closed, and its"
            + " threads with it; the next connection starts it again (0: it keeps running)")
    long sshdIdleStop() default 60_000L;

    @AttributeDefinition(description = "Karaf's features service and Maven resolver start with the first console"
            + " connection after a restart, not with the edge (false: with the edge, as in Karaf)")
    boolean featuresOnDemand() default true;

    @AttributeDefinition(description = "Karaf's shell, and with it the command classes of every bundle, starts with the"
            + " first console connection after a restart, not with the edge; Karaf's local console (bin/karaf in the"
            + " foreground) starts it with the edge (false: with the edge, as in Karaf)")
    boolean shellOnDemand() default true;
}
