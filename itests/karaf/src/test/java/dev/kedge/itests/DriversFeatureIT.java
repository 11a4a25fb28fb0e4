package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.util.ArrayList;
import java.util.List;

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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The driver features in the edge distribution: the device host is part of kedge-edge and starts with no driver;
 * {@code feature:install kedge-driver-virtual} registers a driver service for protocol {@code virtual} that
 * {@code driver:list} shows, {@code feature:uninstall} takes it away again; the drivers' KAR installs with
 * {@code kar:install} from a file (after {@code feature:install kar}), as on a gateway without network, and its Modbus driver then installs.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class DriversFeatureIT extends KedgeTestSupport {
    private static final String DRIVER = "dev.kedge.device.driver.Driver";
    private static final String KAR_PROPERTY = "kedge.drivers.kar";

    @Configuration
    public Option[] config() {
        List<Option> options = new ArrayList<>(List.of(distribution("edge")));
        options.add(systemProperty(KAR_PROPERTY).value(System.getProperty(KAR_PROPERTY, "")));
        return options.toArray(new Option[0]);
    }

    @Test
    public void t1_theHostRunsWithoutAnyDriver() throws Exception {
        Bundle host = bundle("dev.kedge.device.host");
        assertNotNull("the device host is installed by kedge-edge", host);
        assertEquals("the device host is active", Bundle.ACTIVE, host.getState());
        assertNull("no driver bundle is installed by kedge-edge", bundle("dev.kedge.device.virtual"));
        assertNull("no Modbus driver is installed by kedge-edge", bundle("dev.kedge.device.modbus"));
        assertEquals("no driver service", 0, drivers(null));
    }

    @Test
    public void t2_featureInstallAndUninstallOfTheVirtualDriver() throws Exception {
        String out = executeCommand("feature:install kedge-driver-virtual");
        assertFalse(out, out.toLowerCase().contains("error"));
        await(() -> drivers("virtual") == 1, "a Driver service with kedge.protocol=virtual");
        String list = "";
        for (int i = 0; i < 100 && !list.contains("dev.kedge.device.virtual"); i++) {
            Thread.sleep(100);
            list = executeCommand("driver:list");
        }
        assertTrue("driver:list names the protocol and the bundle: " + list,
                list.matches("(?s).*virtual.*dev\\.kedge\\.device\\.virtual.*"));
        out = executeCommand("feature:uninstall kedge-driver-virtual");
        assertFalse(out, out.toLowerCase().contains("error"));
        await(() -> drivers("virtual") == 0, "no virtual driver after feature:uninstall");
        assertNull("the driver bundle is gone", bundle("dev.kedge.device.virtual"));
        list = executeCommand("driver:list");
        assertFalse("driver:list no longer shows it: " + list, list.contains("dev.kedge.device.virtual"));
    }

    @Test
    public void t3_theDriversKarInstallsOfflineAndItsModbusDriverStarts() throws Exception {
        String kar = System.getProperty(KAR_PROPERTY, "");
        assertTrue("the build passes the KAR's path in " + KAR_PROPERTY, kar.endsWith(".kar"));
        String out = executeCommand("feature:install kar"); // in the edge's system/, not started by default
        assertFalse(out, out.toLowerCase().contains("error"));
        out = executeCommand("kar:install file:" + kar);
        assertFalse(out, out.toLowerCase().contains("error"));
        String kars = executeCommand("kar:list");
        assertTrue("kar:list shows the drivers' KAR: " + kars, kars.contains("kedge-drivers"));
        out = executeCommand("feature:install kedge-driver-modbus");
        assertFalse(out, out.toLowerCase().contains("error"));
        await(() -> drivers("modbus") == 1, "a Driver service with kedge.protocol=modbus");
        assertEquals("j2mod is active", Bundle.ACTIVE, bundle("com.ghgande.j2mod").getState());
    }

    private Bundle bundle(String bsn) {
        for (Bundle b : bundleContext.getBundles()) {
            if (bsn.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private int drivers(String protocol) throws InvalidSyntaxException {
        ServiceReference<?>[] refs = bundleContext.getAllServiceReferences(DRIVER,
                protocol == null ? null : "(kedge.protocol=" + protocol + ")");
        return refs == null ? 0 : refs.length;
    }

    private static void assertNull(String message, Object o) {
        assertTrue(message + ": " + o, o == null);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 30 s: " + what);
    }
}
