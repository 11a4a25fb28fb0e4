package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ThreadFactory;

import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.kedge.core.DaemonThreads;

/**
 * The edge's SSH console: Karaf's shell sessions served by Apache SSHD on the JDK's crypto, logins checked by Karaf's
 * JAAS realm. It replaces Karaf's {@code ssh} feature on the edge, whose console bundle requires BouncyCastle (10 MB
 * of the tarball) for the host key alone. A configuration change restarts it with the new settings.
 */
@Component(configurationPid = ConsoleConfig.PID)
@Designate(ocd = ConsoleConfig.class)
public final class SshConsole {
    private static final Logger LOG = LoggerFactory.getLogger(SshConsole.class);

    private final SshServer server;

    @Activate
    public SshConsole(@Reference SessionFactory sessions, ConsoleConfig config) throws IOException {
        ConsoleSettings settings = ConsoleSettings.of(config);
        ThreadFactory threads = DaemonThreads.factory("console");
        server = SshServer.setUpDefaultServer();
        server.setHost(settings.host());
        server.setPort(settings.port());
        server.setKeyPairProvider(hostKey(settings));
        JaasLogin login = new JaasLogin(settings.realm(), settings.role());
        server.setPasswordAuthenticator(login);
        server.setPublickeyAuthenticator(login);
        server.setShellFactory(channel -> new ConsoleShell(sessions, threads));
        server.setCommandFactory((channel, command) -> new ConsoleExec(sessions, threads, command));
        CoreModuleProperties.IDLE_TIMEOUT.set(server, settings.idleTimeout());
        CoreModuleProperties.NIO_WORKERS.set(server, settings.ioThreads());
        server.start();
        restrict(settings);
        LOG.info("SSH console on {}:{} (realm {}, role {})", settings.host(), server.getPort(), settings.realm(),
                settings.role().isEmpty() ? "any" : settings.role());
    }

    /** The host key: kept in the configured file, made on first start (EC P-256, quick to make on a gateway). */
    private static KeyPairProvider hostKey(ConsoleSettings settings) throws IOException {
        Files.createDirectories(settings.hostKey().getParent());
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(settings.hostKey());
        keys.setAlgorithm("EC");
        keys.setKeySize(256);
        keys.loadKeys(null); // made (or read) now, not on the first login
        return keys;
    }

    /** The private key is the operator's alone. */
    private static void restrict(ConsoleSettings settings) {
        try {
            Files.setPosixFilePermissions(settings.hostKey(), PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | UnsupportedOperationException e) {
            LOG.warn("could not make {} private: {}", settings.hostKey(), e.toString());
        }
    }

    @Deactivate
    void stop() throws IOException {
        server.stop(true);
    }
}
