package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/** What a connection gets when Karaf's shell is not there: the reason, and exit status 1, instead of a hang. */
final class ShellMissing extends ChannelCommand {
    static final String MESSAGE = "Karaf's shell did not start on this edge; see its log (data/log/karaf.log)";

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        err.write((MESSAGE + "\r\n").getBytes(StandardCharsets.UTF_8));
        err.flush();
        exit.onExit(1, MESSAGE);
    }

    @Override
    public void destroy(ChannelSession channel) {
        // nothing runs
    }
}
