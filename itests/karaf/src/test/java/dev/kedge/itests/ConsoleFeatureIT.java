package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
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
 * Logins, commands and terminals over SSH are DistributionProcessIT's (bin/client and OpenSSH).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleFeatureIT extends KedgeTestSupport {
    private static final String PORT_PROPERTY = "kedge.itest.console";

    @Inject
    private SshConsole console;

    @Configuration
    public Option[] config() throws Exception {
        String port = String.valueOf(FreePorts.belowEphemeral());
        List<Option> options = new ArrayList<>(List.of(distribution("edge")));
        options.add(editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", port));
        options.add(systemProperty(PORT_PROPERTY).value(port));
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
}
