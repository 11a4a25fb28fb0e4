package dev.kedge.edge.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AccessController;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.security.auth.Subject;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.kedge.core.net.internal.AcceptorImpl;
import dev.kedge.core.testing.FreePorts;
import dev.kedge.core.testing.TestConfigs;
import dev.kedge.core.testing.TestScheduler;

/**
 * The console over a real SSH connection (SSHD's client), with a JAAS realm of {@link TestLoginModule} and a shell
 * whose sessions echo the command and the user they run as.
 */
class ConsoleComponentTest {
    private static Configuration before;
    /** What "feature:list" prints, while a test sets it. */
    private static volatile java.util.function.BooleanSupplier featuresActive;
    private static SshClient client;
    private static final SessionFactory ECHO = echoShell();

    @TempDir
    Path dir;
    private ConsoleComponent console;
    private int port;
    private final TestScheduler scheduler = new TestScheduler();
    private final AcceptorImpl acceptor = new AcceptorImpl();

    @BeforeAll
    static void realmAndClient() {
        before = Configuration.getConfiguration();
        Configuration.setConfiguration(new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return !"test".equals(name) ? null : new AppConfigurationEntry[] {new AppConfigurationEntry(
                        TestLoginModule.class.getName(), AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of())};
            }
        });
        client = SshClient.setUpDefaultClient();
        client.start();
    }

    @AfterAll
    static void restore() throws Exception {
        client.stop();
        Configuration.setConfiguration(before);
    }

    @AfterEach
    void stop() throws Exception {
        if (console != null) {
            console.stop();
        }
        scheduler.stop();
        acceptor.stop();
    }

    private void start() throws Exception {
        start(Map.of());
    }

    private void start(Map<String, Object> more) throws Exception {
        port = FreePorts.belowEphemeral();
        Map<String, Object> config = new HashMap<>(Map.of("sshPort", port, "sshRealm", "test", "hostKey",
                dir.resolve("etc/host.key").toString(), "featuresOnDemand", false));
        config.putAll(more);
        start(config, timeout -> ECHO);
    }

    private void start(Map<String, Object> config, ShellSessions shell) throws Exception {
        console = new ConsoleComponent(shell, scheduler, acceptor, TestConfigs.of(ConsoleConfig.class, config),
                (FeaturesOnDemand) null); // not in a framework here
    }

    @Test
    void runsAnExecCommandAsTheLoggedInUser() throws Exception {
        start();
        Result r = exec("operator", "op-secret", "bundle:list");
        assertEquals(0, r.status, r.toString());
        assertEquals("ran 'bundle:list' as operator", r.out.trim());
        assertEquals(List.of("rw-------"), List.of(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("etc/host.key")))), "the host key is private");
    }

    @Test
    void sshdStartsWithTheFirstConnectionsEvenConcurrentOnes() throws Exception {
        start();
        assertTrue(!console.sshdStarted() && !Files.exists(dir.resolve("etc/host.key")), "nothing of SSHD yet");
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Result>> firsts = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String command = "first-" + i;
                firsts.add(pool.submit(() -> exec("operator", "op-secret", command)));
            }
            for (int i = 0; i < 4; i++) {
                Result r = firsts.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals("ran 'first-" + i + "' as operator", r.out.trim(), r.toString());
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(console.sshdStarted());
        assertEquals("ran 'later' as operator", exec("operator", "op-secret", "later").out.trim());
    }

    @Test
    void sshdStopsAfterTheLastConnectionsIdleTimeAndTheNextConnectionStartsItAgain() throws Exception {
        start(Map.of("sshdIdleStop", 300L));
        assertEquals("ran 'one' as operator", exec("operator", "op-secret", "one").out.trim());
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (console.sshdStarted()) {
            assertTrue(System.nanoTime() < deadline, "SSHD still running 10 s after the last connection closed");
            Thread.sleep(50);
        }
        assertEquals(0, console.status().openConnections(), "no connection open");
        assertEquals("ran 'two' as operator", exec("operator", "op-secret", "two").out.trim());
        assertTrue(console.sshdStarted(), "started again by the next connection");
    }

    @Test
    void sshdKeepsRunningWhileAConnectionIsOpenAndWithoutAnIdleStop() throws Exception {
        start(Map.of("sshdIdleStop", 0L));
        assertEquals("ran 'one' as operator", exec("operator", "op-secret", "one").out.trim());
        Thread.sleep(500);
        assertTrue(console.sshdStarted(), "sshdIdleStop = 0: SSHD stays");
        console.stop();
        start(Map.of("sshdIdleStop", 200L));
        try (ClientSession open = client.connect("operator", "127.0.0.1", port).verify(Duration.ofSeconds(10))
                .getSession()) {
            open.addPasswordIdentity("op-secret");
            open.auth().verify(Duration.ofSeconds(10));
            assertEquals("ran 'other' as operator", exec("operator", "op-secret", "other").out.trim());
            Thread.sleep(600); // the other connection closed: its idle time passes while this one stays open
            assertTrue(console.sshdStarted(), "SSHD stays while a connection is open");
        }
    }

    @Test
    void theFirstConnectionStartsKarafsFeaturesServiceBeforeItsCommandRuns() throws Exception {
        try (TestFramework osgi = new TestFramework(dir)) {
            String features = FeaturesOnDemand.BUNDLES.get(1);
            FeaturesOnDemand.bundles(osgi.framework().getBundleContext()).park();
            osgi.restart();
            assertTrue(!osgi.active(features), "parked");
            port = FreePorts.belowEphemeral();
            console = new ConsoleComponent(timeout -> ECHO, scheduler, acceptor, TestConfigs.of(ConsoleConfig.class,
                    Map.of("sshPort", port, "sshRealm", "test", "hostKey", dir.resolve("etc/host.key").toString())),
                    new FeaturesOnDemand(FeaturesOnDemand.bundles(osgi.framework().getBundleContext()),
                            () -> osgi.active(features)));
            assertTrue(!osgi.active(features), "not started with the console");
            featuresActive = () -> osgi.active(features);
            assertEquals("features active: true", exec("operator", "op-secret", "feature:list").out.trim());
            console.stop();
            console = null;
            assertTrue(!osgi.persistentlyStarted(features), "started for this run only");
        } finally {
            featuresActive = null;
        }
    }

    @Test
    void theFirstConnectionWaitsForKarafsShellBeforeItsCommandRuns() throws Exception {
        List<Duration> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean shellStarted = new java.util.concurrent.atomic.AtomicBoolean();
        port = FreePorts.belowEphemeral();
        start(Map.of("sshPort", port, "sshRealm", "test", "hostKey", dir.resolve("etc/host.key").toString(),
                "featuresOnDemand", false), timeout -> {
                    waits.add(timeout);
                    if (!timeout.isZero()) {
                        shellStarted.set(true); // what ShellOnDemand does: start the bundle, wait for its service
                    }
                    return shellStarted.get() ? ECHO : null;
                });
        assertTrue(waits.isEmpty(), "the shell is not asked for before a connection");
        assertEquals("ran 'bundle:list' as operator", exec("operator", "op-secret", "bundle:list").out.trim());
        assertEquals(ConsoleComponent.SHELL_TIMEOUT, waits.get(0), "started and waited for first: " + waits);
    }

    @Test
    void aShellThatDoesNotComeIsAClearErrorAndTheNextConnectionTriesAgain() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean there = new java.util.concurrent.atomic.AtomicBoolean();
        port = FreePorts.belowEphemeral();
        start(Map.of("sshPort", port, "sshRealm", "test", "hostKey", dir.resolve("etc/host.key").toString(),
                "featuresOnDemand", false), timeout -> there.get() ? ECHO : null);
        Result missing = exec("operator", "op-secret", "bundle:list");
        assertEquals(1, missing.status, missing.toString());
        assertTrue(missing.err.contains(ShellMissing.MESSAGE), missing.toString());
        there.set(true);
        assertEquals("ran 'bundle:list' as operator", exec("operator", "op-secret", "bundle:list").out.trim());
    }

    @Test
    void theCommandsStatusIsTheExitStatus() throws Exception {
        start();
        assertEquals(3, exec("operator", "op-secret", "exit 3").status);
        Result failed = exec("operator", "op-secret", "fail");
        assertEquals(1, failed.status);
        assertTrue((failed.out + failed.err).contains("no such thing"), "the error is shown: " + failed);
    }

    @Test
    void refusesWrongPasswordsAndUsersWithoutTheRole() throws Exception {
        start();
        assertThrows(SshException.class, () -> exec("operator", "wrong", "bundle:list"));
        assertThrows(SshException.class, () -> exec("viewer", "view-secret", "bundle:list"), "no ssh role");
        assertThrows(SshException.class, () -> exec("nobody", "x", "bundle:list"), "no role at all");
        assertEquals(0, exec("operator", "op-secret", "bundle:list").status, "a good login still works");
        assertTrue(console.status().refusedLogins() >= 3, "counted: " + console.status());
        assertEquals(4, console.status().connections(), console.status().toString());
    }

    @Test
    void theHostKeyIsKeptAcrossRestarts() throws Exception {
        start();
        exec("operator", "op-secret", "bundle:list"); // SSHD, and its key, come with the first connection
        String key = Files.readString(dir.resolve("etc/host.key"));
        console.stop();
        console = null;
        start();
        exec("operator", "op-secret", "bundle:list");
        assertEquals(key, Files.readString(dir.resolve("etc/host.key")));
        assertTrue(key.startsWith("-----BEGIN OPENSSH PRIVATE KEY-----"), key);
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class,
                () -> ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class, Map.of("sshPort", 0))));
        assertThrows(IllegalArgumentException.class,
                () -> ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class, Map.of("sshHost", " "))));
        assertThrows(IllegalArgumentException.class,
                () -> ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class, Map.of("nio$_$workers", 0))));
        IllegalArgumentException digest = assertThrows(IllegalArgumentException.class,
                () -> ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class, Map.of("passwordDigest", "SHA-7"))));
        assertTrue(digest.getMessage().contains("passwordDigest SHA-7"), digest.getMessage());
        ConsoleSettings d = ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class));
        assertEquals("127.0.0.1", d.host(), "loopback unless configured");
        assertEquals(Duration.ofMinutes(30), d.idleTimeout());
        assertTrue(d.shellOnDemand() && d.featuresOnDemand(), "both on demand unless configured");
    }

    @Test
    void theEdgeDistributionsFileSetsTheDefaults() throws Exception {
        Path cfg = Path.of("").toAbsolutePath().resolve(
                "../../../karaf-edge-assembly/src/main/resources/assembly/etc/org.apache.karaf.shell.cfg").normalize();
        Map<String, String> file = new HashMap<>();
        for (String line : Files.readAllLines(cfg)) {
            int eq = line.indexOf('=');
            if (!line.isBlank() && !line.strip().startsWith("#") && eq > 0) {
                file.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
            }
        }
        for (var e : dev.kedge.core.testing.FeatureConfigs.defaults(ConsoleConfig.class).entrySet()) {
            String key = e.getKey().replace("$_$", "-");
            assertEquals(e.getValue(), file.get(key), key + " in " + cfg + " vs ConsoleConfig");
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result exec(String user, String password, String command) throws Exception {
        try (ClientSession s = client.connect(user, "127.0.0.1", port).verify(Duration.ofSeconds(10)).getSession()) {
            s.addPasswordIdentity(password);
            s.auth().verify(Duration.ofSeconds(10));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (ClientChannel c = s.createExecChannel(command)) {
                c.setOut(out);
                c.setErr(err);
                c.open().verify(Duration.ofSeconds(10));
                c.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(10));
                Integer status = c.getExitStatus();
                return new Result(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8),
                        err.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** Sessions that answer "ran '<command>' as <user>", return 3 for "exit 3" and fail for "fail". */
    private static SessionFactory echoShell() {
        return (SessionFactory) Proxy.newProxyInstance(ConsoleComponentTest.class.getClassLoader(),
                new Class<?>[] {SessionFactory.class}, (p, m, args) -> {
                    if (!m.getName().equals("create") || args.length != 3) {
                        throw new UnsupportedOperationException(m.getName());
                    }
                    PrintStream out = (PrintStream) args[1];
                    return Proxy.newProxyInstance(ConsoleComponentTest.class.getClassLoader(), new Class<?>[] {Session.class},
                            (s, sm, sargs) -> switch (sm.getName()) {
                                case "execute" -> run(String.valueOf(sargs[0]), out);
                                case "getConsole" -> out;
                                case "put", "close", "get" -> null;
                                default -> throw new UnsupportedOperationException(sm.getName());
                            });
                });
    }

    @SuppressWarnings("removal")
    private static Object run(String command, PrintStream out) throws Exception {
        if (command.equals("fail")) {
            throw new IllegalStateException("no such thing");
        }
        if (command.equals("exit 3")) {
            return 3;
        }
        if (command.equals("feature:list") && featuresActive != null) {
            out.println("features active: " + featuresActive.getAsBoolean());
            return null;
        }
        Subject subject = Subject.getSubject(AccessController.getContext());
        String user = subject == null ? "nobody" : subject.getPrincipals(TestLoginModule.User.class).iterator()
                .next().getName();
        out.println("ran '" + command + "' as " + user);
        return null;
    }
}
