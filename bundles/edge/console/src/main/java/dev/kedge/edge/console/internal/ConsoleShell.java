package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.security.PrivilegedAction;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.security.auth.Subject;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An interactive console on an SSH shell channel: Karaf's shell on a {@link ChannelTerminal}, as the logged-in user. */
final class ConsoleShell extends ChannelCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleShell.class);

    private final SessionFactory sessions;
    private final ThreadFactory threads;
    private final AtomicBoolean ended = new AtomicBoolean();
    private ChannelTerminal terminal;
    private Session shell;

    ConsoleShell(SessionFactory sessions, ThreadFactory threads) {
        this.sessions = sessions;
        this.threads = threads;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        Subject subject = channel.getServerSession().getAttribute(JaasLogin.SUBJECT);
        Charset charset = Encodings.of(env);
        terminal = new ChannelTerminal(env, in, out, charset);
        PrintStream console = new PrintStream(terminal.output(), true, charset);
        PrintStream errors = err == out ? console : new PrintStream(err, true, charset);
        shell = sessions.create(in, console, errors, terminal, charset.name(), this::end);
        env.getEnv().forEach(shell::put);
        // the console thread inherits the caller's access control context: started inside doAs, it runs as the user
        Subject.doAs(subject, (PrivilegedAction<Void>) () -> {
            threads.newThread(shell).start();
            return null;
        });
    }

    /** The shell ended (logout, Ctrl-D) or the channel closed: close both sides once. */
    private void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            terminal.close();
        } catch (IOException e) {
            LOG.debug("console terminal close: {}", e.toString());
        }
        exit.onExit(0);
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (shell != null) {
            shell.close();
        }
        end();
    }
}
