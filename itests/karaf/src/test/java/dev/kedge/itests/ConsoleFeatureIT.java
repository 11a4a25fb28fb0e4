package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

import dev.kedge.core.testing.FreePorts;
import dev.kedge.edge.console.ConsoleStatus;
import dev.kedge.edge.console.SshConsole;

/**
 * kedge-console in the edge distribution: Karaf's ssh feature and BouncyCastle absent, the console listening on its
 * configured loopback port with SSHD not started until a connection comes, {@code console:status} showing it.
 * Logins, commands and terminals over SSH are DistributionProcessIT's (bin/client and OpenSSH); this test runs the
 * distribution's bin/client without a terminal, as scripts, cron and CI do.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
// by name: the first connection must be listensOnLoopback…'s, which sees SSHD start
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleFeatureIT extends KedgeTestSupport {
    private static final String PORT_PROPERTY = "kedge.itest.console";
    private static final String PASSWORD = "console-it-pw";

    @Inject
    private SshConsole console;

    @Configuration
    public Option[] config() throws Exception {
        String port = String.valueOf(FreePorts.belowEphemeral());
        List<Option> options = new ArrayList<>(List.of(distribution("edge")));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", port));
        options.add(systemProperty(PORT_PROPERTY).value(port));
        options.add(editConfigurationFilePut("etc/users.properties", "kedge", PASSWORD + ",_g_:admingroup"));
        String mqtt = String.valueOf(FreePorts.belowEphemeral());
        options.add(editConfigurationFilePut("etc/dev.kedge.edge.broker.cfg", "port", mqtt));
        options.add(editConfigurationFilePut("etc/dev.kedge.edge.eventbus.cfg", "mqttServerInternal", "tcp://127.0.0.1:" + mqtt));
        return options.toArray(new Option[0]);
    }

    private static int port() {
        return Integer.parseInt(System.getProperty(PORT_PROPERTY));
    }

    @Test
    public void noBouncyCastleAndNoKarafSshOnTheEdge() {
        for (Bundle b : bundleContext.getBundles()) {
            String name = b.getSymbolicName();
            assertFalse(name, name.startsWith("bcprov") || name.startsWith("bcpkix") || name.startsWith("bcutil")
                    || name.equals("org.apache.karaf.shell.ssh"));
        }
    }

    @Test
    public void listensOnLoopbackAndStartsSshdWithTheFirstConnection() throws Exception {
        ConsoleStatus before = console.status();
        assertEquals("127.0.0.1:" + port(), before.address());
        assertFalse("SSHD waits for a connection", before.sshdStarted());
        assertTrue(executeCommand("console:status"), executeCommand("console:status").contains("starts with the first"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port()), 5_000);
            s.setSoTimeout(10_000);
            byte[] banner = new byte[8];
            int n = s.getInputStream().readNBytes(banner, 0, 8);
            assertEquals("SSH-2.0-", new String(banner, 0, n, java.nio.charset.StandardCharsets.US_ASCII));
        }
        ConsoleStatus after = console.status();
        assertTrue(after.toString(), after.sshdStarted());
        assertEquals(after.toString(), 1, after.connections());
        assertTrue(executeCommand("console:status"), executeCommand("console:status").contains("STARTED"));
    }

    /**
     * Karaf's bin/client with the command as its argument and stdin at its end (</dev/null) closed the channel before
     * the output came ("Closed", exit 1); bin/kedge-env gives it a stdin that does not end. With -b the commands come
     * on stdin. Both print the output and exit with the command's status: 0, 1 when it fails, or the integer it returns.
     */
    @Test
    public void operatorsClientRunsACommandWithoutATerminal() throws Exception {
        assertClient(0, "STARTED", "console:status");
        assertClient(1, "no-such:command", "no-such:command");
        assertClient(7, "", "new java.lang.Integer 7");
        KedgeProcess.Result batch = KedgeProcess.run(home(), client("-b"), Map.of(), 60, "console:status");
        assertEquals(batch.output(), 0, batch.exitCode());
        assertTrue(batch.output(), batch.output().contains("STARTED"));
    }

    private static void assertClient(int status, String output, String command) throws Exception {
        List<String> cmd = new ArrayList<>(client());
        cmd.add(command);
        KedgeProcess.Result r = KedgeProcess.run(home(), cmd, Map.of(), 60); // stdin: /dev/null
        assertEquals(command + ": " + r.output(), status, r.exitCode());
        assertTrue(command + ": " + r.output(), r.output().contains(output));
    }

    private static List<String> client(String... options) {
        List<String> cmd = new ArrayList<>(List.of("sh", "bin/client", "-a", String.valueOf(port()), "-u", "kedge",
                "-p", PASSWORD));
        cmd.addAll(List.of(options));
        return cmd;
    }

    private static Path home() {
        return Path.of(System.getProperty("karaf.home"));
    }
}
