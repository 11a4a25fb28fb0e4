package dev.kedge.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;

import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.ServiceRegistration;

import dev.kedge.core.Message;
import dev.kedge.core.MessageBus;
import dev.kedge.core.Module;
import dev.kedge.core.Operations;

/** What both distributions must show about the bus; the per-distribution ITs call these. */
final class BusFeatureChecks {
    private BusFeatureChecks() {
    }

    static void featureInstalled(FeaturesService features, String installed, String absent) throws Exception {
        assertTrue(installed + " must be installed", features.isInstalled(features.getFeature(installed)));
        assertTrue("kedge-core must be installed", features.isInstalled(features.getFeature("kedge-core")));
        assertTrue(absent + " must not be in this distribution",
                features.getFeature(absent) == null || !features.isInstalled(features.getFeature(absent)));
    }

    /** A probe module answers sendSync through the real bus, and bus:modules lists it with its counters. */
    static void roundTripAndListing(KedgeTestSupport test, MessageBus bus) throws Exception {
        Module echo = m -> bus.respond(Message.responseTo(m, Operations.OK));
        ServiceRegistration<Module> reg = test.registerModule("itest-echo", "itest", echo);
        try {
            Message query = Message.create("itest", "resource", Operations.QUERY, "default/pod/p1", null);
            Message resp = bus.sendSync("itest-echo", query, Duration.ofSeconds(10));
            assertEquals(query.id(), resp.parentId());
            assertEquals(Operations.RESPONSE, resp.operation());
            assertEquals(Operations.OK, resp.content());

            String table = test.executeCommand("bus:modules");
            assertTrue("bus:modules lists the module: " + table,
                    table.matches("(?s).*itest-echo\\s*\\|\\s*itest\\s*\\|\\s*ACTIVE\\s*\\|\\s*0\\s*\\|\\s*1024\\s*\\|\\s*1\\s*\\|.*"));

            String sent = test.executeCommand("bus:send -g itest query default/pod/p2");
            assertTrue("bus:send reaches the group: " + sent, sent.contains("to 1 module(s)"));
        } finally {
            reg.unregister();
        }
    }
}
