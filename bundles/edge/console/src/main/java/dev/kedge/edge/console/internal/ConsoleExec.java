package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.concurrent.ThreadFactory;

import javax.security.auth.Subject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.karaf.shell.support.ShellUtil;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command line from an SSH exec request ({@code bin/client -b}, {@code ssh host 'bundle:list'}): run as the
 * logged-in user after Karaf's shell init scripts, on its own thread (never SSHD's I/O thread). The exit status is
 * the command's when it returns an integer, 1 when it fails, else 0.
 */
final class ConsoleExec extends ChannelCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleExec.class);
    /** Karaf's property: comma-separated scripts (a '*' in the file name matches several) run before each command. */
    static final String INIT_SCRIPTS = "karaf.shell.init.script";

    private final SessionFactory sessions;
    private final ThreadFactory threads;
    private final String command;

    ConsoleExec(SessionFactory sessions, ThreadFactory threads, String command) {
        this.sessions = sessions;
        this.threads = threads;
        this.command = command;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        Subject subject = channel.getServerSession().getAttribute(JaasLogin.SUBJECT);
        threads.newThread(() -> run(subject, env)).start();
    }

    private void run(Subject subject, Environment env) {
        int status = 0;
        PrintStream stdout = new PrintStream(out, true);
        PrintStream stderr = new PrintStream(err, true);
        Session session = sessions.create(in, stdout, stderr);
        try {
            env.getEnv().forEach(session::put);
            Object result = Subject.doAs(subject, (PrivilegedExceptionAction<Object>) () -> {
                runInitScripts(session);
                return session.execute(command);
            });
            status = result instanceof Integer code ? code : 0;
        } catch (PrivilegedActionException e) {
            status = 1;
            ShellUtil.logException(session, e.getException());
        } catch (RuntimeException e) {
            status = 1;
            ShellUtil.logException(session, e);
        } finally {
            stdout.flush();
            stderr.flush();
            session.close();
            exit.onExit(status);
        }
    }

    private static void runInitScripts(Session session) {
        String scripts = System.getProperty(INIT_SCRIPTS);
        if (scripts == null) {
            return;
        }
        for (String entry : scripts.split(",")) {
            Path path = Path.of(entry.strip());
            if (!path.getFileName().toString().contains("*")) {
                runScript(session, path);
                continue;
            }
            Path dir = path.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> matches = Files.newDirectoryStream(dir, path.getFileName().toString())) {
                matches.forEach(p -> runScript(session, p));
            } catch (IOException e) {
                LOG.debug("console init scripts {}: {}", path, e.toString());
            }
        }
    }

    private static void runScript(Session session, Path script) {
        if (!Files.isRegularFile(script)) {
            return;
        }
        try {
            session.execute(Files.readString(script));
        } catch (Exception e) {
            session.getConsole().println("Error in initialization script " + script + ": " + e.getMessage());
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        // the command ends on its own; the session closes its streams
    }
}
