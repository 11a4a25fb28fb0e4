package dev.kedge.itests;

import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedExceptionAction;
import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

import dev.kedge.core.Module;

/**
 * Boots one of OUR distributions (kedge-edge or kedge-cloud tarball from this build) in a forked JVM and gives the
 * test operator-like helpers: run a console command, register a probe module on the bus.
 */
public abstract class KedgeTestSupport {

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    protected static Option[] distribution(String side) {
        String tarball = required("kedge." + side + ".tarball");
        return new Option[] {
            karafDistributionConfiguration()
                .frameworkUrl(new File(tarball).toURI().toString())
                .name("kedge-" + side)
                .karafVersion(required("karaf.version"))
                .unpackDirectory(new File("target/exam/" + side))
                .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole(),
            logLevel(LogLevel.INFO),
            systemTimeout(120_000),
            // a free console port, so a test run never collides with a Kedge already running on this machine
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", String.valueOf(freePort())),
        };
    }

    /** Runs a console command as an admin, like an operator at the console; returns what it printed. */
    protected String executeCommand(String command) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            Session session = sessionFactory.create(System.in, out, out);
            Subject admin = new Subject();
            admin.getPrincipals().add(new UserPrincipal("kedge"));
            admin.getPrincipals().add(new RolePrincipal("admin"));
            admin.getPrincipals().add(new RolePrincipal("manager"));
            admin.getPrincipals().add(new RolePrincipal("viewer"));
            Subject.doAs(admin, (PrivilegedExceptionAction<Object>) () -> session.execute(command));
            out.flush();
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    protected ServiceRegistration<Module> registerModule(String name, String group, Module module) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(Module.NAME, name);
        props.put(Module.GROUP, group);
        return bundleContext.registerService(Module.class, module, props);
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isEmpty()) {
            throw new IllegalStateException("system property " + property + " is not set (run through Maven failsafe)");
        }
        return v;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
