package dev.kedge.edge.console.internal;

import java.util.HashMap;
import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.apache.karaf.jaas.config.JaasRealm;
import org.apache.karaf.jaas.modules.publickey.PublickeyCallback;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Karaf's {@code karaf} realm as the console needs it, ranked above Karaf's own: etc/users.properties (passwords,
 * checked against their digest) and etc/keys.properties (public keys), with Karaf's login modules. Karaf's realm checks
 * digests only with {@code encryption.enabled} in org.apache.karaf.jaas.cfg, which also starts its watcher of
 * users.properties: one or two threads, each with an inotify thread, waking every second for a file written once.
 * The edge turns that off; {@link UsersFile} hashes clear-text entries when the file changed instead.
 */
@Component(configurationPid = ConsoleConfig.PID, service = JaasRealm.class)
public final class ConsoleRealm implements JaasRealm {
    static final String NAME = "karaf";
    /** Karaf's realm has rank 0: JAAS takes the highest of the realms of a name. */
    static final int RANK = 1;

    private final AppConfigurationEntry[] entries;

    @Activate
    public ConsoleRealm(ConsoleConfig config, BundleContext context) {
        this(ConsoleSettings.of(config), context, FrameworkUtil.getBundle(PublickeyCallback.class).getBundleId());
    }

    ConsoleRealm(ConsoleSettings settings, BundleContext context, long loginModulesBundle) {
        String etc = ConsoleSettings.etc().toString();
        Map<String, Object> users = options(context, loginModulesBundle,
                "org.apache.karaf.jaas.modules.properties.PropertiesLoginModule", etc + "/users.properties");
        if (!settings.passwordDigest().isEmpty()) {
            users.put("encryption.enabled", "true");
            users.put("encryption.name", "basic");
            users.put("encryption.prefix", UsersFile.MARK);
            users.put("encryption.suffix", UsersFile.MARK);
            users.put("encryption.algorithm", settings.passwordDigest());
            users.put("encryption.encoding", "hexadecimal");
            new UsersFile(ConsoleSettings.etc().resolve("users.properties"), settings.passwordDigest()).hashClearText();
        }
        Map<String, Object> keys = options(context, loginModulesBundle,
                "org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule", etc + "/keys.properties");
        entries = new AppConfigurationEntry[] {
            new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.OPTIONAL, users),
            new AppConfigurationEntry(ProxyLoginModule.class.getName(), LoginModuleControlFlag.OPTIONAL, keys)};
    }

    /** What Karaf's ProxyLoginModule needs to load a login module from its bundle, and the module's file. */
    private static Map<String, Object> options(BundleContext context, long bundle, String module, String file) {
        Map<String, Object> o = new HashMap<>();
        o.put(BundleContext.class.getName(), context);
        o.put(ProxyLoginModule.PROPERTY_MODULE, module);
        o.put(ProxyLoginModule.PROPERTY_BUNDLE, Long.toString(bundle));
        o.put("users", file);
        o.put("detailed.login.exception", "false");
        return o;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public int getRank() {
        return RANK;
    }

    @Override
    public AppConfigurationEntry[] getEntries() {
        return entries.clone();
    }
}
