package dev.kedge.edge.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.AppConfigurationEntry.LoginModuleControlFlag;

import org.apache.karaf.jaas.boot.ProxyLoginModule;
import org.junit.jupiter.api.Test;

import dev.kedge.core.testing.TestConfigs;

class ConsoleRealmTest {

    @Test
    void overridesKarafsRealmWithTheConsolesDigest() {
        ConsoleRealm realm = new ConsoleRealm(ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class)), null, 42);
        assertEquals("karaf", realm.getName(), "the realm the console and Karaf's tools log in with");
        assertEquals(1, realm.getRank(), "above Karaf's own (rank 0)");

        AppConfigurationEntry[] entries = realm.getEntries();
        assertEquals(2, entries.length);
        String etc = ConsoleSettings.etc().toString();
        Map<String, ?> users = entries[0].getOptions();
        assertEquals(ProxyLoginModule.class.getName(), entries[0].getLoginModuleName());
        assertEquals(LoginModuleControlFlag.OPTIONAL, entries[0].getControlFlag());
        assertEquals("org.apache.karaf.jaas.modules.properties.PropertiesLoginModule",
                users.get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals("42", users.get(ProxyLoginModule.PROPERTY_BUNDLE), "loaded from Karaf's login modules bundle");
        assertEquals(etc + "/users.properties", users.get("users"));
        assertEquals("true", users.get("encryption.enabled"));
        assertEquals("SHA-256", users.get("encryption.algorithm"));
        assertEquals("hexadecimal", users.get("encryption.encoding"));
        assertEquals("{CRYPT}", users.get("encryption.prefix"));

        Map<String, ?> keys = entries[1].getOptions();
        assertEquals("org.apache.karaf.jaas.modules.publickey.PublickeyLoginModule",
                keys.get(ProxyLoginModule.PROPERTY_MODULE));
        assertEquals(etc + "/keys.properties", keys.get("users"));
    }

    @Test
    void withoutADigestPasswordsAreComparedAsWritten() {
        ConsoleRealm realm = new ConsoleRealm(
                ConsoleSettings.of(TestConfigs.of(ConsoleConfig.class, Map.of("passwordDigest", ""))), null, 42);
        assertNull(realm.getEntries()[0].getOptions().get("encryption.enabled"));
    }
}
