package dev.kedge.edge.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.karaf.shell.api.console.SignalListener;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.server.Environment;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.ControlChar;
import org.jline.terminal.Attributes.InputFlag;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Attributes.OutputFlag;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;

/**
 * The terminal of an SSH shell channel ({@code Signal} here is JLine's, inherited; Karaf's is spelled out), for JLine (which edits the line) and for Karaf's shell API (which asks for
 * its size and signals). The client's pty request sets the control characters and modes (RFC 4254 §8); its
 * window-change requests resize it.
 */
final class ChannelTerminal extends ExternalTerminal implements org.apache.karaf.shell.api.console.Terminal {
    private static final Map<PtyMode, ControlChar> CONTROL_CHARS = Map.ofEntries(
            Map.entry(PtyMode.VINTR, ControlChar.VINTR), Map.entry(PtyMode.VQUIT, ControlChar.VQUIT),
            Map.entry(PtyMode.VERASE, ControlChar.VERASE), Map.entry(PtyMode.VKILL, ControlChar.VKILL),
            Map.entry(PtyMode.VEOF, ControlChar.VEOF), Map.entry(PtyMode.VEOL, ControlChar.VEOL),
            Map.entry(PtyMode.VEOL2, ControlChar.VEOL2), Map.entry(PtyMode.VSTART, ControlChar.VSTART),
            Map.entry(PtyMode.VSTOP, ControlChar.VSTOP), Map.entry(PtyMode.VSUSP, ControlChar.VSUSP),
            Map.entry(PtyMode.VDSUSP, ControlChar.VDSUSP), Map.entry(PtyMode.VREPRINT, ControlChar.VREPRINT),
            Map.entry(PtyMode.VWERASE, ControlChar.VWERASE), Map.entry(PtyMode.VLNEXT, ControlChar.VLNEXT),
            Map.entry(PtyMode.VSTATUS, ControlChar.VSTATUS), Map.entry(PtyMode.VDISCARD, ControlChar.VDISCARD));

    private final Map<SignalListener, EnumSet<org.apache.karaf.shell.api.console.Signal>> listeners = new ConcurrentHashMap<>();

    ChannelTerminal(Environment env, InputStream in, OutputStream out, Charset charset) throws IOException {
        super("Kedge SSH console", env.getEnv().getOrDefault(Environment.ENV_TERM, "dumb"), in, out, charset);
        setAttributes(attributesOf(env.getPtyModes(), getAttributes()));
        resize(env);
        env.addSignalListener((channel, signal) -> {
            resize(env);
            raise(org.jline.terminal.Terminal.Signal.WINCH);
        }, org.apache.sshd.server.Signal.WINCH);
    }

    private void resize(Environment env) {
        setSize(new Size(number(env, Environment.ENV_COLUMNS, 80), number(env, Environment.ENV_LINES, 24)));
    }

    private static int number(Environment env, String key, int otherwise) {
        try {
            int n = Integer.parseInt(env.getEnv().getOrDefault(key, ""));
            return n > 0 ? n : otherwise;
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    static Attributes attributesOf(Map<PtyMode, Integer> modes, Attributes base) {
        Attributes a = new Attributes(base);
        for (Map.Entry<PtyMode, Integer> m : modes.entrySet()) {
            ControlChar cc = CONTROL_CHARS.get(m.getKey());
            boolean on = m.getValue() != 0;
            if (cc != null) {
                a.setControlChar(cc, m.getValue());
                continue;
            }
            switch (m.getKey()) {
                case ECHO -> a.setLocalFlag(LocalFlag.ECHO, on);
                case ICANON -> a.setLocalFlag(LocalFlag.ICANON, on);
                case ISIG -> a.setLocalFlag(LocalFlag.ISIG, on);
                case ICRNL -> a.setInputFlag(InputFlag.ICRNL, on);
                case INLCR -> a.setInputFlag(InputFlag.INLCR, on);
                case IGNCR -> a.setInputFlag(InputFlag.IGNCR, on);
                case OCRNL -> a.setOutputFlag(OutputFlag.OCRNL, on);
                case ONLCR -> a.setOutputFlag(OutputFlag.ONLCR, on);
                case ONLRET -> a.setOutputFlag(OutputFlag.ONLRET, on);
                case OPOST -> a.setOutputFlag(OutputFlag.OPOST, on);
                default -> {
                    // other modes do not change how the console reads or writes
                }
            }
        }
        return a;
    }

    /** JLine raises signals from the input (Ctrl-C) and on resize; Karaf's listeners hear them too. */
    @Override
    public void raise(org.jline.terminal.Terminal.Signal signal) {
        super.raise(signal);
        org.apache.karaf.shell.api.console.Signal karaf;
        try {
            karaf = org.apache.karaf.shell.api.console.Signal.valueOf(signal.name());
        } catch (IllegalArgumentException noSuchSignal) {
            return; // INFO: JLine's alone
        }
        listeners.forEach((listener, signals) -> {
            if (signals.contains(karaf)) {
                listener.signal(karaf);
            }
        });
    }

    @Override
    public int getWidth() {
        return getSize().getColumns();
    }

    @Override
    public int getHeight() {
        return getSize().getRows();
    }

    @Override
    public boolean isAnsiSupported() {
        return !TYPE_DUMB.equals(getType());
    }

    @Override
    public boolean isEchoEnabled() {
        return echo();
    }

    @Override
    public void setEchoEnabled(boolean enabled) {
        echo(enabled);
    }

    @Override
    public void addSignalListener(SignalListener listener, org.apache.karaf.shell.api.console.Signal... signals) {
        addSignalListener(listener, signals.length == 0 ? EnumSet.allOf(org.apache.karaf.shell.api.console.Signal.class)
                : EnumSet.of(signals[0], signals));
    }

    @Override
    public void addSignalListener(SignalListener listener, EnumSet<org.apache.karaf.shell.api.console.Signal> signals) {
        listeners.put(listener, EnumSet.copyOf(signals));
    }

    @Override
    public void addSignalListener(SignalListener listener) {
        addSignalListener(listener, EnumSet.allOf(org.apache.karaf.shell.api.console.Signal.class));
    }

    @Override
    public void removeSignalListener(SignalListener listener) {
        listeners.remove(listener);
    }
}
