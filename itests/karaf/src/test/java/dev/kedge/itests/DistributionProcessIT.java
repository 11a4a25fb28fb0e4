package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.Test;

/**
 * Both distributions started as real processes, side by side on their out-of-the-box settings, checked as an
 * operator would: no default login, a generated or given admin password, the console on loopback only, reached by
 * Karaf's bin/client and by OpenSSH (key login, a command, an interactive terminal).
 */
public class DistributionProcessIT {
    private static final String CLOUD_PASSWORD = "cloud-Admin-pw-42";

    private KedgeProcess edge;
    private KedgeProcess cloud;

    @After
    public void stop() throws Exception {
        try (KedgeProcess e = edge; KedgeProcess c = cloud) {
            // closed in reverse order, each by PID
        }
    }

    @Test
    public void bothDistributionsRunSideBySideWithSecureConsoles() throws Exception {
        for (int port : new int[] {8101, 8102}) {
            assertEquals("port " + port + " is taken: stop the Kedge running here first (scripts/run.sh stop)",
                    List.of(), Listeners.addressesOf(port));
        }
        Path base = Path.of("target", "process").toAbsolutePath();
        edge = KedgeProcess.unpack("edge", base.resolve("edge"), Map.of());
        cloud = KedgeProcess.unpack("cloud", base.resolve("cloud"), Map.of("KEDGE_ADMIN_PASSWORD", CLOUD_PASSWORD));
        assertFalse("no admin password shipped", Files.exists(edge.home().resolve("etc/admin.password")));

        long t0 = System.nanoTime();
        edge.start();
        cloud.start();

        // edge: a random password, kept 0600 in etc/admin.password
        Path pwFile = edge.home().resolve("etc/admin.password");
        assertTrue("edge generated etc/admin.password", Files.exists(pwFile));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile)));
        String edgePassword = Files.readString(pwFile).trim();
        assertTrue("generated password is long: " + edgePassword.length(), edgePassword.length() >= 20);
        assertFalse("cloud used KEDGE_ADMIN_PASSWORD", Files.exists(cloud.home().resolve("etc/admin.password")));

        long edgeReadyMs = edge.awaitConsole("kedge", edgePassword, "bus:modules", "Module", 90);
        long bootMs = (System.nanoTime() - t0) / 1_000_000;
        cloud.awaitConsole("kedge", CLOUD_PASSWORD, "bus:modules", "Module", 90);

        // no default or wrong logins
        assertNotEquals(0, edge.client("karaf", "karaf", "bus:modules").exitCode());
        assertNotEquals(0, cloud.client("kedge", "wrong", "bus:modules").exitCode());
        assertNotEquals(0, edge.client("kedge", CLOUD_PASSWORD, "bus:modules").exitCode());
        // the command as bin/client's argument, without a terminal: its output and status (bin/kedge-env)
        for (KedgeProcess.Result r : List.of(edge.command("kedge", edgePassword, "bus:modules"),
                cloud.command("kedge", CLOUD_PASSWORD, "bus:modules"))) {
            assertEquals(r.output(), 0, r.exitCode());
            assertTrue(r.output(), r.output().contains("Module"));
        }
        assertEquals(1, edge.command("kedge", edgePassword, "no-such:command").exitCode());
        // a foreign client: OpenSSH with a key listed in the edge's etc/keys.properties, a command and a terminal
        OpenSsh ssh = OpenSsh.withNewKey(base.resolve("openssh"), edge.home(), 8101, "kedge");
        KedgeProcess.Result viaSsh = ssh.exec("bus:modules");
        assertEquals(viaSsh.output(), 0, viaSsh.exitCode());
        assertTrue(viaSsh.output(), viaSsh.output().contains("metamanager"));
        KedgeProcess.Result failing = ssh.exec("no-such:command");
        assertNotEquals("a failed command is a failed exec: " + failing.output(), 0, failing.exitCode());
        String session = ssh.interactive(List.of("bus:modules"), List.of("metamanager"), 60);
        assertTrue("a prompt on the terminal: " + session, session.contains("@"));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(edge.home().resolve("etc/host.key"))));

        // the password is stored hashed once used
        String users = Files.readString(edge.home().resolve("etc/users.properties"));
        assertFalse("clear-text password left in users.properties", users.contains(edgePassword));
        assertTrue(users.contains("kedge = {CRYPT}"));

        // the edge's log back-end (dev.kedge.edge.logging, not Log4j): Karaf's file layout, log:display, log:set
        Path edgeLog = edge.home().resolve("data/log/karaf.log");
        assertTrue("Karaf's layout in data/log/karaf.log", Files.readAllLines(edgeLog).stream().anyMatch(l ->
                l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d,\\d{3} \\| INFO  \\| .* \\| MessageBusImpl +\\| "
                        + "\\d+ - dev\\.kedge\\.core - [^|]+ \\| Kedge message bus active .*")));
        assertTrue("log:display shows the events", edge.client("kedge", edgePassword, "log:display").output()
                .contains("Session kedge@/127.0.0.1"));
        assertTrue(edge.client("kedge", edgePassword, "log:set DEBUG dev.kedge.logtest\nlog:get dev.kedge.logtest\n"
                + "log:set WARN\n").output().contains("DEBUG"));
        Thread.sleep(2000); // configuration admin hands the change to the back-end asynchronously
        edge.client("kedge", edgePassword, "log:log -l INFO not-written-either\nlog:log -l ERROR written-at-error\n"
                + "log:set INFO\n");
        String written = Files.readString(edgeLog);
        assertTrue("log:set WARN let an ERROR through", written.contains("| ERROR | ") && written.contains("written-at-error"));
        assertFalse("log:set WARN held back an INFO", written.contains("not-written-either"));
        assertFalse("a Log4j 2 bundle on the edge", edge.client("kedge", edgePassword, "bundle:list -s -t 0").output()
                .contains("pax-logging-log4j2"));

        // consoles listen on loopback only, on distinct ports
        assertEquals(List.of("127.0.0.1"), Listeners.addressesOf(8101));
        assertEquals(List.of("127.0.0.1"), Listeners.addressesOf(8102));

        Thread.sleep(3000);
        System.out.printf("DISTRIBUTION edge bootToConsoleMs=%d (polling included: %d) edgeRssMiB=%.1f cloudRssMiB=%.1f%n",
                bootMs, edgeReadyMs, edge.rssMiB(), cloud.rssMiB());
    }
}
